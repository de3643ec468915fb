/** The expiry choices of a new access key; the server caps keys at one year. */
const DAY_SECONDS = 24 * 3600;

export interface ExpiryOption {
  value: string;
  label: string;
  /** Undefined: the key does not expire. */
  seconds: number | undefined;
}

export const EXPIRY_OPTIONS: ExpiryOption[] = [
  { value: '7d', label: '7 days', seconds: 7 * DAY_SECONDS },
  { value: '30d', label: '30 days', seconds: 30 * DAY_SECONDS },
  { value: '90d', label: '90 days', seconds: 90 * DAY_SECONDS },
  { value: '365d', label: '1 year', seconds: 365 * DAY_SECONDS },
  { value: 'never', label: 'Never', seconds: undefined },
];

export const DEFAULT_EXPIRY = '90d';

export function expirySeconds(value: string): number | undefined {
  return EXPIRY_OPTIONS.find((option) => option.value === value)?.seconds;
}
