import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CALL,
  CALLERROR,
  CALLRESULT,
  call,
  callError,
  callResult,
  type Frame,
  parseFrame,
  replyIdFor,
  serializeFrame,
} from '../../src/ocpp/frames';

function failureOf(text: string) {
  const result = parseFrame(text);
  assert.equal(result.ok, false, `expected ${text} to be rejected`);
  if (result.ok) throw new Error('unreachable');
  return result;
}

describe('parseFrame', () => {
  it('parses a CALL, a CALLRESULT and a CALLERROR', () => {
    assert.deepEqual(parseFrame('[2,"a1","Heartbeat",{}]'), {
      ok: true,
      frame: { type: CALL, id: 'a1', action: 'Heartbeat', payload: {} },
    });
    assert.deepEqual(parseFrame('[3,"a1",{"currentTime":"x"}]'), {
      ok: true,
      frame: { type: CALLRESULT, id: 'a1', payload: { currentTime: 'x' } },
    });
    assert.deepEqual(parseFrame('[4,"a1","NotImplemented","no",{}]'), {
      ok: true,
      frame: { type: CALLERROR, id: 'a1', code: 'NotImplemented', description: 'no', details: {} },
    });
  });

  const cases: Array<[string, string, string | undefined]> = [
    ['not json', 'NotJson', undefined],
    ['[2,"a","Heartbeat",{}', 'NotJson', undefined],
    ['', 'NotJson', undefined],
    ['{"a":1}', 'NotArray', undefined],
    ['"text"', 'NotArray', undefined],
    ['null', 'NotArray', undefined],
    ['[]', 'WrongArity', undefined],
    ['[5,"x",{}]', 'UnknownMessageType', 'x'],
    ['[99]', 'UnknownMessageType', undefined],
    ['["2","x","Heartbeat",{}]', 'UnknownMessageType', 'x'],
    ['[2]', 'MissingId', undefined],
    ['[2,17,"Heartbeat",{}]', 'IdNotString', undefined],
    ['[2,null,"Heartbeat",{}]', 'IdNotString', undefined],
    [`[2,"${'x'.repeat(37)}","Heartbeat",{}]`, 'IdTooLong', undefined],
    ['[2,"a",7,{}]', 'ActionNotString', 'a'],
    ['[2,"a","Heartbeat",[]]', 'PayloadNotObject', 'a'],
    ['[2,"a","Heartbeat",null]', 'PayloadNotObject', 'a'],
    ['[3,"a","str"]', 'PayloadNotObject', 'a'],
    ['[2,"a","Heartbeat"]', 'WrongArity', 'a'],
    ['[2,"a","Heartbeat",{},{}]', 'WrongArity', 'a'],
    ['[3,"a",{},1]', 'WrongArity', 'a'],
    ['[4,"a","X","d"]', 'WrongArity', 'a'],
    ['[4,"a",1,"d",{}]', 'ErrorCodeNotString', 'a'],
    ['[4,"a","X",2,{}]', 'ErrorDescriptionNotString', 'a'],
    ['[4,"a","X","d",[]]', 'ErrorDetailsNotObject', 'a'],
  ];
  for (const [text, kind, id] of cases) {
    it(`rejects ${text.length > 40 ? `${text.slice(0, 40)}…` : text || '(empty)'} as ${kind}`, () => {
      const failure = failureOf(text);
      assert.equal(failure.kind, kind, failure.message);
      assert.equal(failure.id, id);
      assert.ok(failure.message.length > 0);
    });
  }

  it('accepts an id of exactly 36 characters', () => {
    const id = 'x'.repeat(36);
    const result = parseFrame(`[2,"${id}","Heartbeat",{}]`);
    assert.ok(result.ok);
  });

  it('answers an unreadable id with "-1" and a readable one with itself', () => {
    assert.equal(replyIdFor(failureOf('[2,17,"Heartbeat",{}]')), '-1');
    assert.equal(replyIdFor(failureOf('garbage')), '-1');
    assert.equal(replyIdFor(failureOf('[2,"abc","Heartbeat",[]]')), 'abc');
  });

  it('keeps the action of a CALL with a bad payload so the answer can name it', () => {
    assert.equal(failureOf('[2,"a","Heartbeat",7]').action, 'Heartbeat');
  });

  it('never pollutes prototypes with __proto__ keys', () => {
    const result = parseFrame('[2,"a","DataTransfer",{"__proto__":{"polluted":true},"vendorId":"v"}]');
    assert.ok(result.ok);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });
});

describe('serializeFrame', () => {
  const frames: Frame[] = [
    call('id-1', 'BootNotification', { reason: 'PowerUp' }),
    callResult('id-2', { status: 'Accepted' }),
    callError('id-3', 'NotImplemented', 'unknown action', { action: 'Foo' }),
    callError('-1', 'FormatViolation'),
  ];
  for (const frame of frames) {
    it(`round-trips a type ${frame.type} frame`, () => {
      const text = serializeFrame(frame);
      assert.deepEqual(parseFrame(text), { ok: true, frame });
    });
  }
  it('writes the OCPP-J array shapes', () => {
    assert.equal(serializeFrame(call('1', 'Heartbeat', {})), '[2,"1","Heartbeat",{}]');
    assert.equal(serializeFrame(callResult('1', {})), '[3,"1",{}]');
    assert.equal(serializeFrame(callError('1', 'GenericError', 'd')), '[4,"1","GenericError","d",{}]');
  });
});
