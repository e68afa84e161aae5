/**
 * `CARNET_<NAME>_TRACE=1`: wall and CPU time (user + system) of each step of a
 * long command, on stderr, for benchmarks. CPU time is what a step costs
 * whatever else the machine is doing.
 */
export function stepTracer(name: string): ((step: string) => void) | undefined {
  if (!process.env[`CARNET_${name.toUpperCase()}_TRACE`]) return undefined;
  let wall = process.hrtime.bigint();
  let cpu = process.cpuUsage();
  return (step) => {
    const nowWall = process.hrtime.bigint();
    const used = process.cpuUsage(cpu);
    const rss = Math.round(process.memoryUsage().rss / 1048576);
    const ms = (n: number): string => String(Math.round(n)).padStart(7);
    process.stderr.write(`[${name}] ${step.padEnd(24)} ${ms(Number(nowWall - wall) / 1e6)} ms wall ${ms((used.user + used.system) / 1e3)} ms cpu  rss ${rss} MB\n`);
    wall = nowWall;
    cpu = process.cpuUsage();
  };
}
