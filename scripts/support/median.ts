/** The middle value (the upper one of an even count): benchmarks report medians, not means. */
export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0
