import { connectionFailure } from './opcua-failure';

describe('why an OPC UA connection failed, in words', () => {
  it.each([
    ['connect ECONNREFUSED 127.0.0.1:4840', 'connection refused (connect ECONNREFUSED 127.0.0.1:4840)'],
    [
      'The connection may have been rejected by server,\n Err = (getaddrinfo ENOTFOUND plc.invalid)',
      'unknown host (getaddrinfo ENOTFOUND plc.invalid)',
    ],
    [
      "Fail to connect to server at opc.tcp://plc:4840 to collect server's certificate (in findEndpoint) \n (err =premature disconnection 4)",
      'the server closed the connection (premature disconnection 4)',
    ],
    ['BadCertificateUntrusted (0x801a0000)', 'certificate refused (BadCertificateUntrusted (0x801a0000))'],
    ['BadIdentityTokenRejected', 'user refused (BadIdentityTokenRejected)'],
  ])('%s -> %s', (message, words) => expect(connectionFailure(new Error(message))).toBe(words));

  it('takes a thrown non-error as it is', () => expect(connectionFailure('something else')).toBe('something else'));
});
