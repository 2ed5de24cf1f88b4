// amqplib's calls on an open connection (open a channel, declare, consume) have no timeout of their own:
// a broker that accepted the connection and then never answers one (overloaded, stalled, half-started)
// would hold a relay or a projector forever, while heartbeats keep the connection looking alive.

/** `promise`, or a rejection saying `what` went unanswered when it has not settled within `ms`. */
export async function answerWithin<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: Timer | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer from RabbitMQ in ${Math.round(ms / 1000)} s`)), ms);
  });
  // Its later rejection (the connection closed under it) has no one left to hear it.
  promise.catch(() => {});
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
