package dev.gatehouse.notification;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * Renders email templates: {@code mail/<name>.txt} and {@code mail/<name>.html} (Thymeleaf), with their
 * wording from {@code mail/messages_<lang>.properties}, falling back to English ({@code messages.properties}).
 *
 * <p>Wording uses named placeholders ({@code {name}}) filled from the model as plain text; the templates
 * then print it with Thymeleaf, which escapes it for HTML. So a user's name never becomes markup, and
 * translators never deal with {@link java.text.MessageFormat}'s quoting rules.
 */
@Component
class MailTemplates {

    /** Each template with the model entries it needs; sending anything else is a programming error. */
    static final Map<String, Set<String>> TEMPLATES = Map.ofEntries(
            Map.entry("verify-email", Set.of("name", "link", "expires_hours")),
            Map.entry("password-reset", Set.of("name", "link", "expires_minutes")),
            Map.entry("account-exists", Set.of("name", "login_link", "reset_link")),
            Map.entry("password-changed", Set.of("name")),
            Map.entry("welcome", Set.of("name")),
            // "name" is optional here: the invitee may have no account (and so no name) yet.
            Map.entry("org-invitation", Set.of("inviter_name", "org_name", "role", "link", "expires_days")),
            Map.entry("email-change", Set.of("name", "link", "expires_hours")),
            Map.entry("email-change-taken", Set.of("name")),
            Map.entry("email-changed", Set.of("name", "new_email")),
            Map.entry("usage-alert", Set.of("name", "org_name", "meter", "percent", "used", "limit", "period")),
            Map.entry("credits-low", Set.of("name", "org_name", "available", "threshold")),
            // The billing module's dunning steps; "date" is the next step's day (UTC).
            Map.entry("billing-past-due", Set.of("name", "org_name", "date")),
            Map.entry("billing-grace", Set.of("name", "org_name", "date")),
            Map.entry("billing-suspended", Set.of("name", "org_name", "date")),
            Map.entry("billing-recovered", Set.of("name", "org_name", "date")));

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");
    private static final ResourceBundle.Control NO_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    private final TemplateEngine engine;

    MailTemplates() {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver(MailTemplates.class.getClassLoader());
        resolver.setPrefix("mail/");
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCheckExistence(true);
        resolver.setCacheable(true);
        resolver.getTextTemplateModePatternSpec().addPattern("*.txt");
        resolver.getHtmlTemplateModePatternSpec().addPattern("*.html");
        // A private engine, not a bean: the web console's Thymeleaf set-up stays Spring Boot's to configure.
        this.engine = new TemplateEngine();
        engine.setTemplateResolver(resolver);
    }

    RenderedEmail render(Email email) {
        Set<String> required = TEMPLATES.get(email.template());
        if (required == null) {
            throw new IllegalArgumentException(
                    "Unknown email template '" + email.template() + "'; known: " + new TreeSet<>(TEMPLATES.keySet()));
        }
        Set<String> missing = new TreeSet<>(required);
        missing.removeAll(email.model().keySet());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(
                    "Email template '" + email.template() + "' needs model entries " + missing);
        }
        email.model().forEach((key, value) -> {
            if (key.endsWith("link")) requireWebLink(key, value);
        });

        ResourceBundle bundle = ResourceBundle.getBundle("mail.messages", email.locale(), NO_FALLBACK);
        String language = bundle.getLocale().getLanguage().isEmpty()
                ? "en"
                : bundle.getLocale().getLanguage();
        Map<String, String> texts = texts(bundle, email.template(), email.model());

        Context context = new Context(Locale.forLanguageTag(language));
        email.model().forEach(context::setVariable);
        context.setVariable("t", texts);
        context.setVariable("lang", language);
        String subject = texts.get("subject").replaceAll("[\\r\\n]+", " ").strip();
        String text = engine.process(email.template() + ".txt", context);
        String html = engine.process(email.template() + ".html", context);
        return new RenderedEmail(subject, text, html, language);
    }

    /** The template's own wording and the shared wording, placeholders filled, keyed without prefix. */
    private static Map<String, String> texts(ResourceBundle bundle, String template, Map<String, String> model) {
        Map<String, String> texts = new HashMap<>();
        for (String key : bundle.keySet()) {
            String prefix =
                    key.startsWith("common.") ? "common." : key.startsWith(template + ".") ? template + "." : null;
            if (prefix == null) continue;
            String filled = fill(bundle.getString(key), model);
            if (filled == null) {
                // Shared wording may need a value this template does not have; its own wording may not.
                if (prefix.equals("common.")) continue;
                throw new IllegalStateException("Message '" + key + "' uses a placeholder missing from the model");
            }
            texts.put(key.substring(prefix.length()), filled);
        }
        if (!texts.containsKey("subject")) {
            throw new MissingResourceException(
                    "No subject for " + template, bundle.getClass().getName(), template);
        }
        // A greeting without a name reads better than "Hi ,".
        String name = model.get("name");
        if (name == null || name.isBlank()) texts.put("greeting", texts.get("greeting_plain"));
        return texts;
    }

    /** The text with its placeholders filled, or null when the model lacks one of them. */
    private static @Nullable String fill(String text, Map<String, String> model) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = model.get(m.group(1));
            if (value == null) return null;
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Links go into href attributes: only absolute http(s) URLs, never {@code javascript:} and friends. */
    private static void requireWebLink(String key, String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) return;
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new IllegalArgumentException("Model entry '" + key + "' must be an absolute http(s) URL");
    }
}
