// Syntax tree of the Jinja2 subset the transforms use (see parser.ts for what is accepted).
// `at`: offset in the template source, for error messages.

export type Expr =
  | { t: 'lit'; v: unknown }
  | { t: 'name'; name: string }
  | { t: 'getattr'; obj: Expr; attr: string | number }
  | { t: 'getitem'; obj: Expr; key: Expr }
  | { t: 'slice'; obj: Expr; start?: Expr; stop?: Expr; step?: Expr }
  | { t: 'call'; fn: Expr; args: Expr[]; kwargs: [string, Expr][] }
  | { t: 'filter'; name: string; arg: Expr; args: Expr[]; kwargs: [string, Expr][]; at: number }
  | { t: 'test'; name: string; arg: Expr; args: Expr[]; negate: boolean; at: number }
  | { t: 'list'; items: Expr[] }
  | { t: 'tuple'; items: Expr[] }
  | { t: 'dict'; pairs: [Expr, Expr][] }
  | { t: 'unary'; op: '-' | '+' | 'not'; x: Expr }
  | { t: 'bin'; op: '+' | '-' | '*' | '/' | '//' | '%' | '**' | '~'; a: Expr; b: Expr }
  | { t: 'and' | 'or'; a: Expr; b: Expr }
  | { t: 'compare'; first: Expr; ops: [CompareOp, Expr][] }
  | { t: 'cond'; test: Expr; then: Expr; else?: Expr };

export type CompareOp = '==' | '!=' | '<' | '>' | '<=' | '>=' | 'in' | 'not in';

export type Node =
  | { t: 'text'; s: string }
  | { t: 'out'; e: Expr }
  | { t: 'if'; branches: [Expr, Node[]][]; else?: Node[] }
  | { t: 'for'; targets: string[]; iter: Expr; body: Node[]; else?: Node[] }
  | { t: 'set'; target: string; e: Expr };
