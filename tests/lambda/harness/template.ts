// The synthesized CloudFormation template, read the way CloudFormation would: resources by type,
// and intrinsic functions (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split) resolved
// against the physical resources the harness created.
import { readFileSync } from 'node:fs';

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  DependsOn?: string | string[];
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown }>;
}

export function readTemplate(path: string): CfnTemplate {
  return JSON.parse(readFileSync(path, 'utf8')) as CfnTemplate;
}

export function resourcesOfType(t: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(t.Resources).filter(([, r]) => r.Type === type);
}

/** The one resource of a type whose logical id starts with a prefix (CDK: construct path + hash). */
export function logicalId(t: CfnTemplate, type: string, prefix: string): string {
  const hits = resourcesOfType(t, type).filter(([id]) => id.startsWith(prefix));
  if (hits.length !== 1) throw new Error(`expected one ${type} named ${prefix}*, found ${hits.map(([id]) => id).join(', ') || 'none'}`);
  return (hits[0] as [string, CfnResource])[0];
}

export interface PhysicalResource {
  /** What Ref gives. */
  ref: string;
  /** What Fn::GetAtt gives, by attribute name. */
  attributes: Record<string, string>;
}

export interface Pseudo {
  region: string;
  account: string;
  stackName: string;
}

export class Resolver {
  constructor(
    private readonly pseudo: Pseudo,
    private readonly physical: (logicalId: string) => PhysicalResource,
  ) {}

  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1) {
      const [fn] = keys as [string];
      const arg = obj[fn];
      switch (fn) {
        case 'Ref':
          return this.ref(String(arg));
        case 'Fn::GetAtt': {
          const [id, attr] = Array.isArray(arg) ? (arg as string[]) : String(arg).split('.');
          return this.getAtt(id as string, attr as string);
        }
        case 'Fn::Join': {
          const [sep, parts] = arg as [string, unknown[]];
          return (this.resolve(parts) as unknown[]).map(String).join(sep);
        }
        case 'Fn::Select': {
          const [i, list] = arg as [number | string, unknown];
          return (this.resolve(list) as unknown[])[Number(this.resolve(i))];
        }
        case 'Fn::Split': {
          const [sep, s] = arg as [string, unknown];
          return String(this.resolve(s)).split(sep);
        }
        case 'Fn::Sub':
          return this.sub(arg);
      }
    }
    return Object.fromEntries(keys.map((k) => [k, this.resolve(obj[k])]));
  }

  resolveString(value: unknown): string {
    const v = this.resolve(value);
    if (typeof v !== 'string' && typeof v !== 'number') throw new Error(`expected a string, got ${JSON.stringify(v)}`);
    return String(v);
  }

  private ref(name: string): string {
    switch (name) {
      case 'AWS::Region':
        return this.pseudo.region;
      case 'AWS::AccountId':
        return this.pseudo.account;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return this.pseudo.stackName;
      case 'AWS::NoValue':
        return '';
    }
    return this.physical(name).ref;
  }

  private getAtt(id: string, attr: string): string {
    const v = this.physical(id).attributes[attr];
    if (v === undefined) throw new Error(`Fn::GetAtt ${id}.${attr}: attribute not emulated`);
    return v;
  }

  private sub(arg: unknown): string {
    const [text, vars] = Array.isArray(arg) ? (arg as [string, Record<string, unknown>]) : [String(arg), {}];
    return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      if (name in vars) return String(this.resolve(vars[name]));
      if (name.includes('.')) {
        const [id, attr] = name.split('.') as [string, string];
        return this.getAtt(id, attr);
      }
      return this.ref(name);
    });
  }
}
