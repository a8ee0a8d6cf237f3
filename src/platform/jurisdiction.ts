// A justice bureau supervises the agencies of its region: a province (xx0000) every code that starts
// with its 2 digits, a city (xxxx00) its 4, a county its 6.
export function jurisdictionPrefix(regionCode: string): string {
  if (regionCode.endsWith('0000')) return regionCode.slice(0, 2);
  if (regionCode.endsWith('00')) return regionCode.slice(0, 4);
  return regionCode;
}
