import { setImmediate as nextTurn } from "node:timers";

// SQLite's one connection runs one transaction at a time. A commit costs about as much as the decision it carries
// (the changed pages go to the write-ahead log), so transactions that are waiting together share one: they run one
// after another inside one BEGIN IMMEDIATE … COMMIT, each in a savepoint of its own, and each caller hears back only
// once that commit is done (docs/architecture.md#transactions).
//
// Node's own `setImmediate` (not the global, which a test's fake clock may replace): a group starts on the next turn
// of the event loop, so every request that reached its transaction during this turn joins it.

/** At most this many transactions share one commit, so the first of them waits for no more than this many. */
export const maxTransactionsPerCommit = 32;

type Statement = { run: () => unknown };

export type GroupCommitTarget = {
  /** The connection: only transactions on the same one share a commit (several connections may queue for one file). */
  connection: object;
  /** The connection's cached statement for this text (BEGIN IMMEDIATE, COMMIT, SAVEPOINT …). */
  statement: (text: string) => Statement;
  /** Whether SQLite still has the transaction open (it ends it by itself on some errors, e.g. a full disk). */
  isInTransaction: () => boolean;
};

type QueuedTransaction = { target: GroupCommitTarget; work: () => Promise<unknown>; resolve: (value: unknown) => void; reject: (error: unknown) => void };

export type TransactionQueue = {
  waiting: QueuedTransaction[];
  isScheduled: boolean;
  /** Commits made and transactions committed in them, for the bench and the tests. */
  stats: { commits: number; transactions: number };
};

export function createTransactionQueue(): TransactionQueue {
  return { waiting: [], isScheduled: false, stats: { commits: 0, transactions: 0 } };
}

/** Queues `work` for the next group; the promise settles after the group's COMMIT (or with the work's own error). */
export function runInGroup<T>(target: GroupCommitTarget, queue: TransactionQueue, work: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    queue.waiting.push({ target, work, resolve: resolve as (value: unknown) => void, reject });
    if (!queue.isScheduled) schedule(queue);
  });
}

function schedule(queue: TransactionQueue) {
  queue.isScheduled = true;
  nextTurn(() => {
    void runGroup(queue, takeGroup(queue)).finally(() => {
      // Work queued while this group ran (including work its transactions started) goes in the next one
      if (queue.waiting.length > 0) schedule(queue);
      else queue.isScheduled = false;
    });
  });
}

/** The first waiting transaction and those after it on the same connection, up to the cap; the rest keep their order. */
function takeGroup(queue: TransactionQueue): QueuedTransaction[] {
  const { connection } = queue.waiting[0].target;
  const group: QueuedTransaction[] = [];
  const rest: QueuedTransaction[] = [];
  for (const transaction of queue.waiting) {
    if (group.length < maxTransactionsPerCommit && transaction.target.connection === connection) group.push(transaction);
    else rest.push(transaction);
  }
  queue.waiting = rest;
  return group;
}

async function runGroup(queue: TransactionQueue, group: QueuedTransaction[]): Promise<void> {
  const { target } = group[0];
  try {
    // IMMEDIATE: the write lock from the start (docs/architecture.md#transactions)
    target.statement("BEGIN IMMEDIATE").run();
  } catch (error) {
    for (const transaction of group) transaction.reject(error);
    return;
  }
  const isAlone = group.length === 1;
  const done: { transaction: QueuedTransaction; value: unknown }[] = [];
  for (let index = 0; index < group.length; index++) {
    const transaction = group[index];
    if (!isAlone) target.statement("SAVEPOINT grouped").run();
    try {
      const value = await transaction.work();
      if (!isAlone) target.statement("RELEASE grouped").run();
      done.push({ transaction, value });
    } catch (error) {
      transaction.reject(error);
      if (!target.isInTransaction()) {
        // SQLite rolled everything back by itself: the work done before this one went too, the rest waits for the next group
        for (const earlier of done) earlier.transaction.reject(error);
        queue.waiting.unshift(...group.slice(index + 1));
        return;
      }
      if (isAlone) {
        target.statement("ROLLBACK").run();
        return;
      }
      // Only this transaction's writes are taken back; the others in the group go on
      target.statement("ROLLBACK TO grouped").run();
      target.statement("RELEASE grouped").run();
    }
  }
  try {
    target.statement("COMMIT").run();
  } catch (error) {
    if (target.isInTransaction()) target.statement("ROLLBACK").run();
    for (const { transaction } of done) transaction.reject(error);
    return;
  }
  queue.stats.commits++;
  queue.stats.transactions += done.length;
  for (const { transaction, value } of done) transaction.resolve(value);
}
