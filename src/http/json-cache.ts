import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../storage/database';
import { logMark, type LogMark } from '../storage/log-version';

interface Entry<R> {
  mark: LogMark;
  body: Buffer;
  /** What each showing of the answer records (`sendRecorded`). */
  reads: R;
}

/**
 * Serialized JSON answers of reads that only change when the log does (coverage, the score
 * sheet, a page of the households search), kept per caller and request until an event is recorded (storage/log-version.ts).
 * A hit costs one index read and a socket write: no read-model queries, no serialization. Per
 * caller (id and role) and not per role, because an answer is cut to the caller's jurisdiction;
 * callers' jurisdictions come from the log too, so the log's mark covers them. The caller's other
 * inputs (the county day, the query) are in the key the route gives. Bounded: the least
 * recently used entries go first.
 */
export class JsonCache<R = void> {
  private readonly entries = new Map<string, Entry<R>>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  /**
   * Sends the cached answer to `key` if the log has not moved since it was computed, else
   * computes, serializes (through the route's response `schema`, as fastify's serializer would),
   * remembers and sends it. Where the log stands is read before computing: an event committed
   * meanwhile may be in the answer, never missing from an answer served as current.
   */
  async send<S extends z.ZodType>(
    this: JsonCache<void>,
    request: FastifyRequest,
    reply: FastifyReply,
    key: readonly unknown[],
    schema: S,
    compute: () => Promise<z.output<S>>,
  ): Promise<FastifyReply> {
    return this.sendRecorded(
      request,
      reply,
      key,
      schema,
      async () => ({ answer: await compute(), reads: undefined }),
      async () => undefined,
    );
  }

  /**
   * `send` for an answer each showing of which must be recorded (issue 20: the households search
   * logs its sensitive reads to the privacy access log, a cached page as much as a computed one).
   * `compute` gives the answer and what showing it records; `record` runs on every request, hit
   * or miss, before anything is sent, so an answer whose record failed is never sent.
   */
  async sendRecorded<S extends z.ZodType>(
    request: FastifyRequest,
    reply: FastifyReply,
    key: readonly unknown[],
    schema: S,
    compute: () => Promise<{ answer: z.output<S>; reads: R }>,
    record: (reads: R) => Promise<void>,
    /** How the answer is written (default: `schema`'s encoding, then JSON.stringify). */
    serialize: (answer: z.output<S>) => string = (answer) => JSON.stringify(z.encode(schema, answer)),
  ): Promise<FastifyReply> {
    const id = JSON.stringify([request.actor.id, request.actor.role, ...key]);
    let entry = this.entries.get(id);
    const { mark, moved } = await logMark(this.db, entry?.mark);
    if (entry && !moved) {
      this.hits++;
      // Most recently used last.
      this.entries.delete(id);
      this.entries.set(id, entry);
    } else {
      this.misses++;
      const { answer, reads } = await compute();
      entry = { mark, body: Buffer.from(serialize(answer)), reads };
      this.remember(id, entry);
    }
    await record(entry.reads);
    return reply.type('application/json; charset=utf-8').send(entry.body);
  }

  private remember(id: string, entry: Entry<R>) {
    const old = this.entries.get(id);
    if (old) {
      this.bytes -= old.body.length;
      this.entries.delete(id);
    }
    if (entry.body.length > this.maxBytes) return;
    this.entries.set(id, entry);
    this.bytes += entry.body.length;
    for (const [oldest, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= e.body.length;
    }
  }
}
