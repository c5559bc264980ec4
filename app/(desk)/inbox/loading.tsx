export default function InboxLoading() {
  return (
    <div className="space-y-3" aria-busy="true" aria-live="polite">
      <div className="h-7 w-40 animate-pulse rounded bg-slate-200" />
      {Array.from({ length: 4 }, (_, index) => (
        <div key={index} className="h-36 animate-pulse rounded-lg bg-white ring-1 ring-slate-200" />
      ))}
    </div>
  );
}
