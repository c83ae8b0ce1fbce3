/**
 * The keep-alive between a Strata driving a device and the engine running there. Stopping relies on
 * the remote CLI's stdin ending, but a link that goes silent (a laptop off Wi-Fi, a cable pulled)
 * closes nothing on the device: its sshd notices only through TCP keepalive, hours later. So the
 * driver writes a line every HEARTBEAT_MS, and the remote CLI stops its job when it has heard
 * nothing for heartbeatLostMs(): a profile never runs on unattended.
 */

/** How often the driver writes to the remote CLI's stdin. */
export const HEARTBEAT_MS = 5_000;

/** Silence after which the remote CLI gives up on its driver: six missed beats. */
export function heartbeatLostMs(env: NodeJS.ProcessEnv = process.env): number {
  // STRATA_HEARTBEAT_LOST_MS lets a test see the stop without waiting half a minute.
  const fromEnv = Number(env.STRATA_HEARTBEAT_LOST_MS);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 6 * HEARTBEAT_MS;
}
