// The two ports every runtime is built on. S3/SQS (shared/runtime/aws) and a directory plus an
// in-process queue (shared/runtime/local) implement them with the same observable semantics, so
// the run state machine (shared/runtime/run) cannot tell where it runs.

export interface ObjectStore {
  /** The object's text, or undefined when there is none. */
  get(key: string): Promise<string | undefined>;
  /** Create or replace; readers see the old or the new object, never a part of one. */
  put(key: string, body: string): Promise<void>;
  /**
   * Create only if no object has that key; true when this call created it. Two concurrent calls
   * for one key: exactly one gets true. This is the fan-in primitive (last loader, last batch).
   */
  putIfAbsent(key: string, body: string): Promise<boolean>;
  /** Keys under a prefix, sorted. */
  list(prefix: string): Promise<string[]>;
  /** Removing a missing key is not an error. */
  delete(key: string): Promise<void>;
}

export async function getJson<T>(store: ObjectStore, key: string): Promise<T | undefined> {
  const text = await store.get(key);
  return text === undefined ? undefined : (JSON.parse(text) as T);
}

export async function requireJson<T>(store: ObjectStore, key: string): Promise<T> {
  const value = await getJson<T>(store, key);
  if (value === undefined) throw new Error(`object store: ${key} does not exist`);
  return value;
}

export function putJson(store: ObjectStore, key: string, value: unknown): Promise<void> {
  return store.put(key, JSON.stringify(value));
}

export function putJsonIfAbsent(store: ObjectStore, key: string, value: unknown): Promise<boolean> {
  return store.putIfAbsent(key, JSON.stringify(value));
}

export interface SendOptions {
  /** FIFO queues: messages with one id inside the de-duplication window are delivered once. */
  deduplicationId?: string;
  /** FIFO queues: ordering group (defaults to "default"). */
  groupId?: string;
  attributes?: Record<string, string>;
  delaySeconds?: number;
}

export interface QueueMessage {
  messageId: string;
  body: string;
  /** Changes with every receive; only the newest one deletes the message (as in SQS). */
  receiptHandle: string;
  /** 1 on the first delivery. */
  receiveCount: number;
  sentTimestamp: number;
  firstReceiveTimestamp: number;
  attributes: Record<string, string>;
  groupId?: string;
  deduplicationId?: string;
}

export interface Queue {
  /** Queue ARN-like name used in event records (`eventSourceARN`). */
  readonly arn: string;
  send(body: string, opts?: SendOptions): Promise<string>;
  /** Any number of entries; implementations chunk as their service needs. */
  sendBatch(entries: { body: string; opts?: SendOptions }[]): Promise<void>;
  /** Up to `max` messages, hidden for `visibilityTimeout` seconds; waits up to `waitSeconds` for one. */
  receive(max: number, visibilityTimeout?: number, waitSeconds?: number): Promise<QueueMessage[]>;
  delete(receiptHandle: string): Promise<void>;
  changeVisibility(receiptHandle: string, seconds: number): Promise<void>;
}
