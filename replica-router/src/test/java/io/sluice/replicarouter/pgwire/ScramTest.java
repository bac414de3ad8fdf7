package io.sluice.replicarouter.pgwire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The listener's SCRAM-SHA-256 server against its own client, which talks to PostgreSQL the same way. */
class ScramTest {

    @Test
    void theRightPasswordLogsInAndTheServerProvesItKnowsIt() {
        ScramServer server = new ScramServer(ScramServer.Credential.of("pencil"));
        ScramClient client = new ScramClient("pencil");
        String serverFirst = server.serverFirst(client.clientFirst());
        String serverFinal = server.serverFinal(client.clientFinal(serverFirst));
        client.verify(serverFinal);
        assertThat(serverFinal).startsWith("v=");
    }

    @Test
    void aWrongPasswordOrAnUnknownUserIsRefusedAtTheProof() {
        ScramServer server = new ScramServer(ScramServer.Credential.of("pencil"));
        ScramClient client = new ScramClient("pen");
        String serverFirst = server.serverFirst(client.clientFirst());
        assertThatThrownBy(() -> server.serverFinal(client.clientFinal(serverFirst)))
                .isInstanceOf(ScramMath.ScramFailure.class);

        ScramServer nobody = new ScramServer(ScramServer.Credential.unmatchable());
        ScramClient guess = new ScramClient("pencil");
        String first = nobody.serverFirst(guess.clientFirst());
        assertThatThrownBy(() -> nobody.serverFinal(guess.clientFinal(first)))
                .isInstanceOf(ScramMath.ScramFailure.class);
    }

    @Test
    void aServerThatDoesNotKnowThePasswordCannotFakeItsSignature() {
        ScramServer impostor = new ScramServer(ScramServer.Credential.of("other"));
        ScramClient client = new ScramClient("pencil");
        String serverFirst = impostor.serverFirst(client.clientFirst());
        client.clientFinal(serverFirst);
        assertThatThrownBy(() -> client.verify("v=" + ScramMath.b64(new byte[32])))
                .isInstanceOf(ScramMath.ScramFailure.class);
    }

    @Test
    void theRfc7677ExampleVerifies() {
        // RFC 7677 section 3: user "user", password "pencil", known nonces, salt and iterations.
        byte[] salted = ScramMath.saltedPassword("pencil", ScramMath.unb64("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        String authMessage = "n=user,r=rOprNGfwEbeRWgbNEkqO,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
        byte[] clientKey = ScramMath.clientKey(salted);
        byte[] proof = ScramMath.xor(clientKey, ScramMath.hmac(ScramMath.sha256(clientKey), authMessage));
        assertThat(ScramMath.b64(proof)).isEqualTo("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        assertThat(ScramMath.b64(ScramMath.hmac(ScramMath.serverKey(salted), authMessage)))
                .isEqualTo("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
    }
}
