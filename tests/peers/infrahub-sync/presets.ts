// Text edits applied to a config before both tools run it (differential.ts --preset), each of
// which must match exactly once.
export const PRESETS: Record<string, [from: string, to: string][]> = {
  // infrahub-sync's nautobot-v2 example with the models its `order` comments out: devices,
  // interfaces and IP addresses (the addresses also get a namespace, as tests/integration/e2e
  // does: Infrahub places an address without one in the `default` namespace).
  'nautobot-v2-full': [
    ['  # "InfraDevice",', '  "InfraDevice",'],
    ['  # "InfraInterfaceL2L3",', '  "InfraInterfaceL2L3",'],
    ['  # "InfraIPAddress",', '  "InfraIPAddress",'],
    [
      '      - name: ip_prefix\n        mapping: parent\n        reference: InfraPrefix\n',
      '      - name: ip_prefix\n        mapping: parent\n        reference: InfraPrefix\n' +
        '      - name: ip_namespace\n        mapping: parent.namespace\n        reference: NautobotNamespace\n',
    ],
  ],
};
