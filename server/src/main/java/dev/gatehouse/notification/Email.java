package dev.gatehouse.notification;

import java.util.Locale;
import java.util.Map;

/**
 * One transactional email to send.
 *
 * @param to the recipient's address
 * @param template a template name such as {@code verify-email}, {@code password-reset}, {@code account-exists},
 *     {@code password-changed}, {@code welcome}, {@code org-invitation}, {@code email-change},
 *     {@code email-change-taken}, {@code email-changed} or {@code usage-alert}
 * @param locale the recipient's language; templates fall back to English when it has no translation
 * @param model the template's values (for example {@code name}, {@code link}); extra entries are ignored
 */
public record Email(String to, String template, Locale locale, Map<String, String> model) {

    public Email {
        model = Map.copyOf(model);
    }
}
