import { config } from "zod";

// Runs in the browser before any page module (Next's client entry requires it first). The page policy allows
// no eval (docs/security.md, "Response headers"); zod would otherwise probe `new Function("")` when the first
// object schema is built, and the browser reports that probe as a policy violation even though zod catches it.
config({ jitless: true });
