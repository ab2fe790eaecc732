import { describe, expect, it } from "vitest";
import { enqueueEvent, type OutgoingEvent } from "../../src/observability/batch";

/** Log events leave the isolate in batches: one sendBatch per window, or as soon as a batch is full. */

function fakeQueue(failures = 0) {
  const calls: string[][] = [];
  let failing = failures;
  const queue = {
    send: async () => {
      throw new Error("events leave in batches");
    },
    sendBatch: async (messages: Iterable<MessageSendRequest<string>>) => {
      if (failing-- > 0) throw new Error("queue unavailable");
      const list = [...messages];
      // Sent as JSON text, serialised once by the producer.
      expect(list.every((m) => m.contentType === "text")).toBe(true);
      calls.push(list.map((m) => (JSON.parse(m.body) as { id: string }).id));
    },
  } as unknown as Queue;
  return { queue, calls };
}

const event = (id: string, bytes = 100): OutgoingEvent => ({
  id,
  traceId: `t-${id}`,
  text: JSON.stringify({ id }),
  bytes,
});

describe("log batches", () => {
  it("events that arrive within the window share one sendBatch, sent by the request that opened it", async () => {
    const { queue, calls } = fakeQueue();
    const results = await Promise.all(["a", "b", "c"].map((id) => enqueueEvent(queue, event(id))));
    expect(results).toEqual([true, true, true]);
    expect(calls).toEqual([["a", "b", "c"]]);
  });

  it("a full batch (100 messages) is sent at once; the next event opens a new one", async () => {
    const { queue, calls } = fakeQueue();
    const first = Array.from({ length: 100 }, (_, i) => enqueueEvent(queue, event(`e${i}`, 10)));
    const next = enqueueEvent(queue, event("next", 10));
    await Promise.all(first);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveLength(100);
    await next;
    expect(calls.map((ids) => ids.length)).toEqual([100, 1]);
  });

  it("an event that would overflow 250 KB goes in the next batch", async () => {
    const { queue, calls } = fakeQueue();
    await Promise.all([enqueueEvent(queue, event("big1", 200_000)), enqueueEvent(queue, event("big2", 100_000))]);
    expect(calls).toEqual([["big1"], ["big2"]]);
  });

  it("retries a failed send once; a second failure reports the events as not sent", async () => {
    const once = fakeQueue(1);
    expect(await enqueueEvent(once.queue, event("r", 10))).toBe(true);
    expect(once.calls).toEqual([["r"]]);
    const twice = fakeQueue(2);
    expect(await enqueueEvent(twice.queue, event("lost", 10))).toBe(false);
    expect(twice.calls).toEqual([]);
  });
});
