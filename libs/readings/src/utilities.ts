/** The utilities whose use Hallwatch measures per site (main meters' registers, the fuel log). */
export const UTILITIES = ['electricity', 'water', 'fuel'] as const;
export type Utility = (typeof UTILITIES)[number];

/** The utilities read from main meters' registers; fuel is a log of refuellings. */
export type MeteredUtility = Exclude<Utility, 'fuel'>;
