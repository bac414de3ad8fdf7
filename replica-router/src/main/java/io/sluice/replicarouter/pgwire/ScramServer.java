package io.sluice.replicarouter.pgwire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import io.sluice.replicarouter.pgwire.ScramMath.ScramFailure;

/**
 * The server side of one SCRAM-SHA-256 exchange (no channel binding), checking a client against a stored
 * credential. An unknown user gets a credential no password matches, so the exchange looks the same and fails at
 * the proof, like PostgreSQL's mock authentication.
 */
final class ScramServer {

    /** What the server keeps of a password: salt, iterations, StoredKey and ServerKey. */
    record Credential(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {

        static Credential of(String password) {
            byte[] salt = ScramMath.randomBytes(16);
            byte[] salted = ScramMath.saltedPassword(password, salt, ScramMath.ITERATIONS);
            return new Credential(salt, ScramMath.ITERATIONS, ScramMath.sha256(ScramMath.clientKey(salted)),
                    ScramMath.serverKey(salted));
        }

        /** For a user that does not exist: random keys, so every proof fails. */
        static Credential unmatchable() {
            return new Credential(ScramMath.randomBytes(16), ScramMath.ITERATIONS, ScramMath.randomBytes(32),
                    ScramMath.randomBytes(32));
        }
    }

    private final Credential credential;
    private String gs2Header;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;

    ScramServer(Credential credential) {
        this.credential = credential;
    }

    /** Takes the client-first message and returns the server-first message. */
    String serverFirst(String clientFirst) {
        if (!(clientFirst.startsWith("n,") || clientFirst.startsWith("y,"))) {
            throw new ScramFailure("channel binding is not supported");
        }
        int second = clientFirst.indexOf(',', 2);
        if (second < 0) {
            throw new ScramFailure("malformed SCRAM client-first message");
        }
        gs2Header = clientFirst.substring(0, second + 1);
        clientFirstBare = clientFirst.substring(second + 1);
        String clientNonce = ScramMath.attribute(clientFirstBare, 'r');
        if (clientNonce == null || clientNonce.isEmpty()) {
            throw new ScramFailure("SCRAM client-first message without a nonce");
        }
        nonce = clientNonce + ScramMath.nonce();
        serverFirst = "r=" + nonce + ",s=" + ScramMath.b64(credential.salt()) + ",i=" + credential.iterations();
        return serverFirst;
    }

    /** Checks the client-final message's proof and returns the server-final message (the server's signature). */
    String serverFinal(String clientFinal) {
        int proofAt = clientFinal.lastIndexOf(",p=");
        if (serverFirst == null || proofAt < 0) {
            throw new ScramFailure("malformed SCRAM client-final message");
        }
        String withoutProof = clientFinal.substring(0, proofAt);
        String binding = ScramMath.attribute(withoutProof, 'c');
        String finalNonce = ScramMath.attribute(withoutProof, 'r');
        if (binding == null || !gs2Header.equals(new String(ScramMath.unb64(binding), StandardCharsets.UTF_8))
                || !nonce.equals(finalNonce)) {
            throw new ScramFailure("SCRAM channel binding or nonce does not match");
        }
        byte[] proof = ScramMath.unb64(clientFinal.substring(proofAt + 3));
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] clientSignature = ScramMath.hmac(credential.storedKey(), authMessage);
        if (proof.length != clientSignature.length) {
            throw new ScramFailure("wrong password");
        }
        byte[] clientKey = ScramMath.xor(proof, clientSignature);
        if (!MessageDigest.isEqual(ScramMath.sha256(clientKey), credential.storedKey())) {
            throw new ScramFailure("wrong password");
        }
        return "v=" + ScramMath.b64(ScramMath.hmac(credential.serverKey(), authMessage));
    }
}
