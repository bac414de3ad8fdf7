package io.sluice.replicarouter.pgwire;

import java.security.MessageDigest;

import io.sluice.replicarouter.pgwire.ScramMath.ScramFailure;

/** The client side of one SCRAM-SHA-256 exchange, for a server connection whose server asks for it. */
final class ScramClient {

    private static final String GS2_HEADER = "n,,";

    private final String password;
    private final String clientNonce = ScramMath.nonce();
    private String clientFirstBare;
    private byte[] expectedServerSignature;

    ScramClient(String password) {
        this.password = password;
    }

    /** The client-first message; PostgreSQL takes the user from the startup message, so it is left empty. */
    String clientFirst() {
        clientFirstBare = "n=,r=" + clientNonce;
        return GS2_HEADER + clientFirstBare;
    }

    String clientFinal(String serverFirst) {
        String nonce = ScramMath.attribute(serverFirst, 'r');
        String salt = ScramMath.attribute(serverFirst, 's');
        String iterations = ScramMath.attribute(serverFirst, 'i');
        if (nonce == null || !nonce.startsWith(clientNonce) || salt == null || iterations == null) {
            throw new ScramFailure("malformed SCRAM server-first message");
        }
        int i;
        try {
            i = Integer.parseInt(iterations);
        } catch (NumberFormatException e) {
            throw new ScramFailure("malformed SCRAM iteration count");
        }
        byte[] salted = ScramMath.saltedPassword(password, ScramMath.unb64(salt), i);
        byte[] clientKey = ScramMath.clientKey(salted);
        String withoutProof = "c=" + ScramMath.b64(GS2_HEADER.getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                + ",r=" + nonce;
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] signature = ScramMath.hmac(ScramMath.sha256(clientKey), authMessage);
        expectedServerSignature = ScramMath.hmac(ScramMath.serverKey(salted), authMessage);
        return withoutProof + ",p=" + ScramMath.b64(ScramMath.xor(clientKey, signature));
    }

    /** Checks the server's signature: a server that does not know the password cannot fake it. */
    void verify(String serverFinal) {
        String v = ScramMath.attribute(serverFinal, 'v');
        if (v == null || expectedServerSignature == null
                || !MessageDigest.isEqual(ScramMath.unb64(v), expectedServerSignature)) {
            throw new ScramFailure("the server's SCRAM signature does not match");
        }
    }
}
