import { BoundedQueue } from './bounded-queue';

const overflow = () => new Error('too slow');

async function take<Item>(iterator: AsyncIterator<Item>, count: number): Promise<Item[]> {
  const items: Item[] = [];
  for (let index = 0; index < count; index++) items.push((await iterator.next()).value as Item);
  return items;
}

describe('BoundedQueue', () => {
  it('hands items over in order, waiting for them', async () => {
    const queue = new BoundedQueue<number>(10, overflow);
    const reader = queue[Symbol.asyncIterator]();
    const pending = take(reader, 3);
    queue.push(1);
    queue.pushAll([2, 3]);
    expect(await pending).toEqual([1, 2, 3]);
  });

  it('fails the reader once more than the limit waits for it, dropping what came after', async () => {
    const queue = new BoundedQueue<number>(2, overflow);
    expect([queue.push(1), queue.push(2), queue.push(3)]).toEqual([true, true, false]);
    await expect(queue[Symbol.asyncIterator]().next()).rejects.toThrow('too slow');
  });

  it('takes a burst of any size when the reader has kept up, not when it has not', async () => {
    const queue = new BoundedQueue<number>(2, overflow);
    expect(queue.pushAll([1, 2, 3, 4, 5])).toBe(true);
    const reader = queue[Symbol.asyncIterator]();
    expect(await take(reader, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(queue.pushAll([6, 7, 8])).toBe(true); // 3 waiting: more than 2
    expect(queue.pushAll([9])).toBe(false);
    await expect(reader.next()).rejects.toThrow('too slow');
  });

  it('ends the reader after what is queued on end, at once on close', async () => {
    const ended = new BoundedQueue<number>(5, overflow);
    ended.pushAll([1, 2]);
    ended.end();
    const items: number[] = [];
    for await (const item of ended) items.push(item);
    expect(items).toEqual([1, 2]);

    const closed = new BoundedQueue<number>(5, overflow);
    const reader = closed[Symbol.asyncIterator]();
    const waiting = reader.next();
    closed.close();
    expect(await waiting).toEqual({ value: undefined, done: true });
  });
});
