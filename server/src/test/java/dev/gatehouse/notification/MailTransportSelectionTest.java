package dev.gatehouse.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/** {@code spring.mail.host} alone decides between SMTP and captured mail, blank counting as unset. */
class MailTransportSelectionTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(MailTransportConfiguration.class, Settings.class)
            .withBean(Clock.class, Clock::systemUTC)
            .withBean(JavaMailSenderImpl.class, JavaMailSenderImpl::new);

    @EnableConfigurationProperties(MailSettings.class)
    static class Settings {}

    @Test
    void noHostMeansCapturedMail() {
        runner.run(
                context -> assertThat(context.getBean(MailTransport.class)).isInstanceOf(CapturedMailTransport.class));
    }

    @Test
    void blankHostMeansCapturedMail() {
        runner.withPropertyValues("spring.mail.host= ")
                .run(context ->
                        assertThat(context.getBean(MailTransport.class)).isInstanceOf(CapturedMailTransport.class));
    }

    @Test
    void aHostMeansSmtp() {
        runner.withPropertyValues("spring.mail.host=smtp.example.com", "gatehouse.mail.from=Acme <hello@acme.test>")
                .run(context -> assertThat(context.getBean(MailTransport.class)).isInstanceOf(SmtpMailTransport.class));
    }

    @Test
    void aBadFromAddressStopsTheStart() {
        runner.withPropertyValues("spring.mail.host=smtp.example.com", "gatehouse.mail.from=not an address")
                .run(context -> assertThat(context).hasFailed());
    }
}
