// The adapters this tool provides, by their config names. The registry (shared/adapters) holds
// their code; the config layer needs only the names (a test keeps the two lists alike).
export const BUILTIN_ADAPTERS: readonly string[] = ['file', 'genericrestapi', 'infrahub', 'nautobot', 'netbox'];
