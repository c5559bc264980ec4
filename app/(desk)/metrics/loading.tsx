export default function MetricsLoading() {
  return (
    <div className="space-y-4" aria-busy="true" aria-live="polite">
      <div className="h-7 w-48 animate-pulse rounded bg-slate-200" />
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4">
        {Array.from({ length: 8 }, (_, index) => (
          <div key={index} className="h-20 animate-pulse rounded-lg bg-white ring-1 ring-slate-200" />
        ))}
      </div>
      <div className="h-64 animate-pulse rounded-lg bg-white ring-1 ring-slate-200" />
    </div>
  );
}
