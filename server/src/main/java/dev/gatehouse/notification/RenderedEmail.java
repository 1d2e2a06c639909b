package dev.gatehouse.notification;

/**
 * A template rendered for one recipient.
 *
 * @param language the language actually used, after falling back (e.g. {@code en} for a {@code de} request)
 */
record RenderedEmail(String subject, String text, String html, String language) {}
