// Recognises an NHS number (10 digits, Modulus 11 check digit, spaces allowed), so the
// client can tell people why confirming is not possible for one.
export function isValidNhsNumber(digits) {
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += Number(digits[i]) * (10 - i);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  if (check === 10) return false;
  return check === Number(digits[9]);
}

export function containsNhsNumber(text) {
  const re = /(?<!\d)(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?!\d)/g;
  let m;
  while ((m = re.exec(String(text || ''))) !== null) {
    if (isValidNhsNumber(m[1] + m[2] + m[3])) return true;
  }
  return false;
}
