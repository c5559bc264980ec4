// The measures over the app's HTTP API: inbox, metrics, decisions and their races, and node:http as the floor.
import http from "node:http";
import autocannon from "autocannon";
import { baseUrl, inboxSamples, isQuick, metricsSamples, port } from "@/bench/config";
import { percentile } from "@/bench/table";

async function timed(request: () => Promise<Response>): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const response = await request();
  await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status };
}

/**
 * Both servers up at once and their requests alternated, so the machine's load (shared, and it moves
 * by the minute) weighs on the 10k and the large history alike and the ratio compares like with like.
 */
export async function measureInboxPair(small: { url: string; cookie: string }, large: { url: string; cookie: string }) {
  const firstPage = ({ url, cookie }: { url: string; cookie: string }) => timed(() => fetch(`${url}/api/requests?limit=50`, { headers: { cookie } }));
  for (const side of [small, large]) await firstPage(side);
  const smallLatencies: number[] = [];
  const largeLatencies: number[] = [];
  for (let index = 0; index < inboxSamples; index++) {
    smallLatencies.push((await firstPage(small)).ms);
    largeLatencies.push((await firstPage(large)).ms);
  }
  return { small: percentile(smallLatencies, 95), large: percentile(largeLatencies, 95) };
}

export async function listPendingIds(cookie: string, count: number, url = baseUrl): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  while (ids.length < count) {
    const response = await fetch(`${url}/api/requests?limit=200${cursor ? `&cursor=${cursor}` : ""}`, { headers: { cookie } });
    const page = (await response.json()) as { items: { id: string }[]; nextCursor: string | null };
    ids.push(...page.items.map((item) => item.id));
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return ids.slice(0, count);
}

const decide = (cookie: string, id: string, url = baseUrl) =>
  fetch(`${url}/api/requests/${id}/decision`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json", origin: url },
    body: JSON.stringify({ decision: "approve" }),
  });

/** Each agent clicks through its share back to back; with several instances, agent i uses `urls[i % urls.length]` (its cookie must be from there). */
export async function measureDecisions(agentCookies: string[], ids: string[], urls: string[] = [baseUrl]) {
  const perAgent = Math.floor(ids.length / agentCookies.length);
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  await Promise.all(
    agentCookies.map(async (cookie, agentIndex) => {
      for (const id of ids.slice(agentIndex * perAgent, (agentIndex + 1) * perAgent)) {
        const result = await timed(() => decide(cookie, id, urls[agentIndex % urls.length]));
        latencies.push(result.ms);
        statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
      }
    }),
  );
  return { p95: percentile(latencies, 95), count: latencies.length, ok: statuses.get(200) ?? 0 };
}

export async function measureRaces(agentCookies: string[], ids: string[], url = baseUrl) {
  let winners = 0;
  let conflicts = 0;
  let other = 0;
  for (let offset = 0; offset < ids.length; offset += 25) {
    await Promise.all(
      ids.slice(offset, offset + 25).map(async (id, index) => {
        const first = agentCookies[(offset + index) % agentCookies.length];
        const second = agentCookies[(offset + index + 1) % agentCookies.length];
        const results = await Promise.all([decide(first, id, url), decide(second, id, url)]);
        for (const response of results) {
          await response.arrayBuffer();
          if (response.status === 200) winners++;
          else if (response.status === 409) conflicts++;
          else other++;
        }
      }),
    );
  }
  return { winners, conflicts, other };
}

export async function measureMetricsP95(cookie: string, range: "30" | "365", url = baseUrl, samples = metricsSamples) {
  const get = () => timed(() => fetch(`${url}/api/metrics?range=${range}`, { headers: { cookie } }));
  const warm = await get();
  if (warm.status !== 200) throw new Error(`GET /api/metrics?range=${range}: ${warm.status}`);
  const latencies: number[] = [];
  const started = Date.now();
  while (latencies.length < samples.min || (latencies.length < samples.max && Date.now() - started < samples.timeBoxMs)) {
    latencies.push((await get()).ms);
  }
  return { p50: percentile(latencies, 50), p95: percentile(latencies, 95), samples: latencies.length };
}

export async function measureHttpBaseline(cookie: string) {
  const body = await (await fetch(`${baseUrl}/api/requests?limit=50`, { headers: { cookie } })).text();
  const plain = http.createServer((_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(body);
  });
  await new Promise<void>((resolve) => plain.listen(port + 1, resolve));
  const run = (url: string, headers: Record<string, string>) =>
    autocannon({ url, connections: 10, duration: isQuick ? 3 : 10, headers });
  const plainResult = await run(`http://localhost:${port + 1}/`, {});
  const nextResult = await run(`${baseUrl}/api/requests?limit=50`, { cookie });
  plain.close();
  return { plainRps: plainResult.requests.average, nextRps: nextResult.requests.average, plainP99: plainResult.latency.p99, nextP99: nextResult.latency.p99 };
}
