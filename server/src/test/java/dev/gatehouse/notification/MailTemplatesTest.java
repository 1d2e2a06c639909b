package dev.gatehouse.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MailTemplatesTest {

    private static final List<Locale> LANGUAGES =
            List.of(Locale.ENGLISH, Locale.forLanguageTag("es"), Locale.FRENCH, Locale.forLanguageTag("hi"));

    private final MailTemplates templates = new MailTemplates();

    static Map<String, String> model(String template) {
        return switch (template) {
            case "verify-email" ->
                Map.of("name", "Ada", "link", "https://app.example.com/verify?token=t1", "expires_hours", "24");
            case "password-reset" ->
                Map.of("name", "Ada", "link", "https://app.example.com/reset?token=t2", "expires_minutes", "30");
            case "account-exists" ->
                Map.of(
                        "name",
                        "Ada",
                        "login_link",
                        "https://app.example.com/login",
                        "reset_link",
                        "https://app.example.com/forgot");
            case "org-invitation" ->
                Map.of(
                        "name",
                        "Ada",
                        "inviter_name",
                        "Grace",
                        "org_name",
                        "Analytical Engines",
                        "role",
                        "billing",
                        "link",
                        "https://app.example.com/accept-invitation?token=t3",
                        "expires_days",
                        "7");
            case "email-change" ->
                Map.of("name", "Ada", "link", "https://app.example.com/verify?token=t3", "expires_hours", "24");
            case "email-changed" -> Map.of("name", "Ada", "new_email", "ada@new.example.com");
            case "usage-alert" ->
                Map.of(
                        "name",
                        "Ada",
                        "org_name",
                        "Analytical Engines",
                        "meter",
                        "api_calls",
                        "percent",
                        "80",
                        "used",
                        "800",
                        "limit",
                        "1000",
                        "period",
                        "day");
            case "credits-low" ->
                Map.of("name", "Ada", "org_name", "Analytical Engines", "available", "42.5", "threshold", "50");
            case "billing-past-due", "billing-grace", "billing-suspended", "billing-recovered" ->
                Map.of("name", "Ada", "org_name", "Analytical Engines", "date", "2026-12-12");
            default -> Map.of("name", "Ada");
        };
    }

    @Test
    void everyTemplateRendersInEveryLanguageWithNothingLeftUnfilled() {
        for (String template : MailTemplates.TEMPLATES.keySet()) {
            Set<String> subjects = new HashSet<>();
            for (Locale locale : LANGUAGES) {
                RenderedEmail mail = templates.render(new Email("ada@example.com", template, locale, model(template)));
                assertThat(mail.language()).isEqualTo(locale.getLanguage());
                assertThat(mail.subject()).isNotBlank().doesNotContain("{", "}");
                assertThat(mail.text()).contains("Ada").doesNotContain("{", "[(", "${");
                assertThat(mail.html())
                        .contains("Ada", "lang=\"" + locale.getLanguage() + "\"")
                        .doesNotContain("${", "th:text", "th:href", "xmlns:th");
                model(template).forEach((key, value) -> {
                    if (key.endsWith("link")) assertThat(mail.text()).contains(value);
                    if (key.endsWith("link")) assertThat(mail.html()).contains("href=\"" + value + "\"");
                });
                subjects.add(mail.subject());
            }
            assertThat(subjects)
                    .as("each language has its own subject for " + template)
                    .hasSize(LANGUAGES.size());
        }
    }

    @Test
    void modelValuesFillTheWording() {
        RenderedEmail mail = templates.render(
                new Email("ada@example.com", "password-reset", Locale.forLanguageTag("es"), model("password-reset")));
        assertThat(mail.subject()).isEqualTo("Restablece tu contraseña");
        assertThat(mail.text()).contains("Hola, Ada:", "caduca en 30 minutos");
    }

    @Test
    void languagesWithoutTranslationFallBackToEnglishAndRegionsToTheirLanguage() {
        RenderedEmail german =
                templates.render(new Email("ada@example.com", "welcome", Locale.GERMAN, model("welcome")));
        assertThat(german.language()).isEqualTo("en");
        assertThat(german.subject()).isEqualTo("Welcome to Gatehouse");

        RenderedEmail mexican = templates.render(
                new Email("ada@example.com", "welcome", Locale.forLanguageTag("es-MX"), model("welcome")));
        assertThat(mexican.language()).isEqualTo("es");
    }

    @Test
    void htmlEscapesWhatUsersTyped() {
        RenderedEmail mail = templates.render(
                new Email("ada@example.com", "welcome", Locale.ENGLISH, Map.of("name", "<script>alert(1)</script>")));
        assertThat(mail.html()).doesNotContain("<script>").contains("&lt;script&gt;");
        assertThat(mail.text()).contains("Hi <script>alert(1)</script>,");
    }

    @Test
    void blankNameGivesAGreetingWithoutOne() {
        RenderedEmail mail =
                templates.render(new Email("ada@example.com", "welcome", Locale.FRENCH, Map.of("name", " ")));
        assertThat(mail.text()).startsWith("Bonjour,");
    }

    @Test
    void programmingErrorsAreRefused() {
        assertThatThrownBy(() -> templates.render(new Email("a@example.com", "no-such", Locale.ENGLISH, Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown email template 'no-such'");
        assertThatThrownBy(() -> templates.render(
                        new Email("a@example.com", "verify-email", Locale.ENGLISH, Map.of("name", "Ada"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expires_hours")
                .hasMessageContaining("link");
        assertThatThrownBy(() -> templates.render(new Email(
                        "a@example.com",
                        "verify-email",
                        Locale.ENGLISH,
                        Map.of("name", "Ada", "link", "javascript:alert(1)", "expires_hours", "24"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http");
    }

    @Test
    void anInvitationNamesTheOrganizationAndTheRoleInTheReadersLanguage() {
        Map<String, String> model = new java.util.HashMap<>(model("org-invitation"));
        model.remove("name");
        RenderedEmail english = templates.render(new Email("new@example.com", "org-invitation", Locale.ENGLISH, model));
        assertThat(english.subject()).isEqualTo("Grace invited you to join Analytical Engines");
        // No account yet, so no name: the greeting goes without one.
        assertThat(english.text()).startsWith("Hi,").contains("Your role: billing manager", "expires in 7 days");
        RenderedEmail hindi =
                templates.render(new Email("new@example.com", "org-invitation", Locale.forLanguageTag("hi"), model));
        assertThat(hindi.html()).contains("बिलिंग प्रबंधक", "Analytical Engines");
    }
}
