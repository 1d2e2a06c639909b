package dev.gatehouse.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Job payloads as stored, on plain objects. */
class JobTypeTest {

    enum Mode {
        FAST,
        SLOW
    }

    record Sample(UUID emailId, Mode mode, Instant notBefore) {}

    private static final JobType<Sample> SAMPLE = JobType.of("test.sample", Sample.class);

    @Test
    void payloadsAreStoredWithSnakeCaseNamesAndEnumNames() {
        UUID id = UUID.fromString("5f0c6f8e-3b0a-4f7e-9d43-0a6c2b8e1f00");
        String json = SAMPLE.write(new Sample(id, Mode.SLOW, Instant.parse("2030-01-02T03:04:05Z")));

        assertThat(json)
                .isEqualTo("{\"email_id\":\"5f0c6f8e-3b0a-4f7e-9d43-0a6c2b8e1f00\",\"mode\":\"SLOW\","
                        + "\"not_before\":\"2030-01-02T03:04:05Z\"}");
        assertThat(SAMPLE.read(json)).isEqualTo(new Sample(id, Mode.SLOW, Instant.parse("2030-01-02T03:04:05Z")));
    }

    @Test
    void theScriptedPayloadKeepsTheShapeOfJobsAlreadyQueued() {
        assertThat(ScriptedJobHandler.TYPE.write(new ScriptedJobHandler.Script("k", 2)))
                .isEqualTo("{\"key\":\"k\",\"fail\":2}");
        assertThat(ScriptedJobHandler.TYPE.read("{\"fail\":2,\"key\":\"k\"}"))
                .isEqualTo(new ScriptedJobHandler.Script("k", 2));
    }

    @Test
    void membersANewerReleaseAddedAreIgnored() {
        assertThat(ScriptedJobHandler.TYPE.read("{\"key\":\"k\",\"fail\":0,\"priority\":\"high\"}"))
                .isEqualTo(new ScriptedJobHandler.Script("k", 0));
    }

    @Test
    void aPayloadWithAMissingOrNullMemberIsAPermanentFailure() {
        assertThatThrownBy(() -> SAMPLE.read("{\"mode\":\"FAST\",\"not_before\":\"2030-01-02T03:04:05Z\"}"))
                .isInstanceOf(PermanentJobFailure.class)
                .hasMessage("The payload is not a Sample of job type 'test.sample'");
        assertThatThrownBy(() ->
                        SAMPLE.read("{\"email_id\":null,\"mode\":\"FAST\",\"not_before\":\"2030-01-02T03:04:05Z\"}"))
                .isInstanceOf(PermanentJobFailure.class);
        assertThatThrownBy(() -> SAMPLE.read("{not json")).isInstanceOf(PermanentJobFailure.class);
    }
}
