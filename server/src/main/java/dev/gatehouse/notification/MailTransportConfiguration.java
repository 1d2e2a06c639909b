package dev.gatehouse.notification;

import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Chooses the transport from {@code spring.mail.host}: set means SMTP, unset or blank means captured. (Spring
 * Boot creates a mail sender even for a blank host, so its presence cannot decide.)
 */
@Configuration(proxyBeanMethods = false)
class MailTransportConfiguration {

    @Bean
    @ConditionalOnExpression("!'${spring.mail.host:}'.isBlank()")
    MailTransport smtpMailTransport(JavaMailSenderImpl sender, MailSettings settings, Clock clock) {
        return new SmtpMailTransport(sender, settings, clock);
    }

    @Bean
    @ConditionalOnExpression("'${spring.mail.host:}'.isBlank()")
    MailTransport capturedMailTransport() {
        return new CapturedMailTransport();
    }
}
