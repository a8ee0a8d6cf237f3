import dayjs from 'dayjs';

/** A timestamp (UTC from the server) in the browser's local time. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const d = dayjs(value);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm:ss') : value;
}

/** A legal date (YYYY-MM-DD) as it is. */
export function formatDate(value: string | null | undefined): string {
  return value ? value.slice(0, 10) : '—';
}

export function validityRange(from: string, to: string): string {
  return `${formatDate(from)} 至 ${formatDate(to)}`;
}
