package dev.handoff.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

class MotoServerTest {

    @Test
    void a_missing_moto_server_fails_loudly_with_the_install_line() {
        assertThatThrownBy(() -> new MotoServer("moto_server_that_does_not_exist_here"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pip install \"moto[server]\"")
                .hasMessageContaining("moto_server_that_does_not_exist_here");
    }

    @Test
    void a_missing_executable_given_as_a_path_fails_the_same_way() {
        assertThatThrownBy(() -> new MotoServer("/nonexistent/bin/moto_server", 0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(MotoServer.INSTALL_LINE);
    }

    @Test
    void it_serves_on_loopback_until_closed_and_reset_forgets_everything() throws Exception {
        int port;
        try (MotoServer moto = new MotoServer(); SqsClient sqs = moto.sqsClient()) {
            port = moto.port();
            assertThat(moto.endpoint().toString()).isEqualTo("http://127.0.0.1:" + port);
            sqs.createQueue(r -> r.queueName("scratch"));
            assertThat(sqs.listQueues().queueUrls()).hasSize(1);

            moto.reset();

            assertThat(sqs.listQueues().queueUrls()).isEmpty();
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }
}
