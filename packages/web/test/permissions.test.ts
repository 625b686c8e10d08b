import { describe, expect, it } from 'vitest';
import { PERMISSIONS as CONNECT } from '@opencar/oauth';
import { CONTROL_PERMISSIONS, PERMISSIONS, READ_PERMISSIONS } from '../src/services/permissions.js';

describe('dashboard permission list', () => {
  it('is exactly the list Connect accepts, split into read and control', () => {
    expect([...PERMISSIONS]).toEqual([...CONNECT]);
    expect([...READ_PERMISSIONS, ...CONTROL_PERMISSIONS].sort()).toEqual([...CONNECT].sort());
    expect(READ_PERMISSIONS.every((p) => p.startsWith('read_'))).toBe(true);
  });
});
