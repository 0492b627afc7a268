// NetBox 4.5 added v2 tokens (`nbt_<key>.<secret>`), sent as `Bearer`; legacy v1 tokens (40 hex
// characters) keep the `Token` scheme until NetBox 5 removes them.
export function netboxAuthorization(token: string): string {
  return token.startsWith('nbt_') ? `Bearer ${token}` : `Token ${token}`;
}
