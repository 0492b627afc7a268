// parse-prometheus-text-format 1.1 ships no types: its one export, as the adapter uses it.
declare module 'parse-prometheus-text-format' {
  export default function parsePrometheusTextFormat(text: string): unknown[];
}
