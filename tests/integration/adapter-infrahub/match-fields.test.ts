// Adapter.matchFields: what the plan's collision check compares (the fields an Upsert matches by).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInfrahubStandin, type InfrahubStandin } from '../../standins/infrahub/index.js';
import { SCHEMA, TOKEN, makeAdapter } from './helpers.js';

let standin: InfrahubStandin;
beforeAll(async () => {
  standin = await startInfrahubStandin({ schema: SCHEMA, token: TOKEN });
});
afterAll(() => standin.stop());

describe('InfrahubAdapter.matchFields', () => {
  it('is the hfid as field names for a node kind whose hfid parts are its own attributes', async () => {
    const a = makeAdapter(standin.url);
    await a.open();
    expect(a.matchFields('LocationSite')).toEqual(['name']);
    expect(a.matchFields('InfraDevice')).toEqual(['name']);
  });

  it('is nothing for a generic, a kind without hfid, an hfid through a relationship, or an unknown kind', async () => {
    const a = makeAdapter(standin.url);
    await a.open();
    // hfid [device__name__value, name__value]: the device part is the peer's name, not a field here.
    expect(a.matchFields('InfraInterface')).toBeUndefined();
    expect(a.matchFields('LocationGeneric')).toBeUndefined();
    expect(a.matchFields('InfraPlatform')).toBeUndefined();
    expect(a.matchFields('NoSuchKind')).toBeUndefined();
  });

  it('is nothing before the schema is read', () => {
    expect(makeAdapter(standin.url).matchFields('InfraDevice')).toBeUndefined();
  });
});
