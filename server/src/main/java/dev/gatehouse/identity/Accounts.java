package dev.gatehouse.identity;

import dev.gatehouse.notification.Email;
import dev.gatehouse.notification.Mailer;
import dev.gatehouse.platform.HttpSettings;
import dev.gatehouse.platform.PlatformRole;
import dev.gatehouse.platform.RequestIds;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Account lifecycle: registration, email verification, password reset and change, profile, email change.
 *
 * <p>None of the public entry points reveals whether an email has an account: registering a taken
 * address answers like a new one (the owner gets an "account exists" email instead), and resend and
 * forgot-password always answer 202 after the same work (queueing a job that does the lookup).
 * Registration spends one Argon2 computation either way.
 */
@Service
class Accounts {

    static final Set<String> LOCALES = Set.of("en", "es", "fr", "hi");

    private final Users users;
    private final OneTimeTokens tokens;
    private final Sessions sessions;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final DisposableDomains disposable;
    private final Mailer mailer;
    private final EmailLinkJob.Queue emailLinks;
    private final AuthSettings settings;
    private final HttpSettings http;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;

    Accounts(
            Users users,
            OneTimeTokens tokens,
            Sessions sessions,
            PasswordHasher hasher,
            PasswordPolicy policy,
            DisposableDomains disposable,
            Mailer mailer,
            EmailLinkJob.Queue emailLinks,
            AuthSettings settings,
            HttpSettings http,
            Clock clock,
            TransactionTemplate tx,
            ApplicationEventPublisher events) {
        this.users = users;
        this.tokens = tokens;
        this.sessions = sessions;
        this.hasher = hasher;
        this.policy = policy;
        this.disposable = disposable;
        this.mailer = mailer;
        this.emailLinks = emailLinks;
        this.settings = settings;
        this.http = http;
        this.clock = clock;
        this.tx = tx;
        this.events = events;
    }

    static String locale(@Nullable String requested) {
        if (requested == null) return "en";
        String language = Locale.forLanguageTag(requested.replace('_', '-')).getLanguage();
        return LOCALES.contains(language) ? language : "en";
    }

    void register(String rawEmail, String password, @Nullable String name, @Nullable String requestedLocale) {
        EmailAddress email = EmailAddress.of(rawEmail);
        if (disposable.contains(email)) throw IdentityFailures.disposableEmail();
        String cleanName = name == null ? defaultName(email) : name.strip();
        policy.check(password, email.value(), cleanName);
        String hash = hasher.hash(password);
        String locale = locale(requestedLocale);
        try {
            tx.executeWithoutResult(status -> {
                Instant now = clock.instant();
                Optional<User> existing = users.byEmail(email.value());
                if (existing.isPresent()) {
                    accountExists(existing.get());
                    return;
                }
                User user = User.register(email.value(), null, hash, cleanName, locale, Set.of(PlatformRole.USER), now);
                users.insert(user);
                // Inside the transaction: what other modules set up for a new user (a personal
                // organization) commits with the account or not at all.
                events.publishEvent(new UserRegistered(
                        user.id(), user.email(), user.name(), user.locale(), RequestIds.current(), now));
                sendVerification(user, now);
            });
        } catch (DuplicateKeyException raced) {
            // Two registrations of one address at once: the loser is told nothing different either.
            tx.executeWithoutResult(status -> users.byEmail(email.value()).ifPresent(this::accountExists));
        }
    }

    /**
     * The name of an account registered without one, and so of its personal organization: the address's local
     * part ({@code alice} for {@code alice@example.com}), which the person recognizes and can change later.
     */
    static String defaultName(EmailAddress email) {
        // At most 64 characters (EmailAddress); control characters are not welcome in a name.
        String local = email.value()
                .substring(0, email.value().lastIndexOf('@'))
                .replaceAll("\\p{Cntrl}", "")
                .strip();
        return local.isEmpty() ? "user" : local;
    }

    private void accountExists(User existing) {
        mail(
                existing,
                "account-exists",
                Map.of("login_link", http.base() + "/", "reset_link", http.base() + "/forgot-password"));
    }

    /** Sends one of the user's own emails, in their language, with their name in the model. */
    private void mail(User user, String template, Map<String, String> model) {
        mail(user.email(), user, template, model);
    }

    /** Sends one of the user's emails to another address (e.g. the one they are moving to). */
    private void mail(String to, User user, String template, Map<String, String> model) {
        Map<String, String> withName = new HashMap<>(model);
        withName.put("name", user.name());
        mailer.send(new Email(to, template, Locale.forLanguageTag(user.locale()), withName));
    }

    private void sendVerification(User user, Instant now) {
        String token = tokens.issue(user.id(), OneTimeTokens.Purpose.VERIFY_EMAIL, now, settings.verifyEmailTtl());
        mail(
                user,
                "verify-email",
                Map.of(
                        "link",
                        http.base() + "/verify-email?token=" + token,
                        "expires_hours",
                        Long.toString(settings.verifyEmailTtl().toHours())));
    }

    /**
     * Uses an emailed confirmation link: a verification link marks the address verified; an email change
     * link (same page, same route) moves the account to the address it was sent to.
     */
    void verifyEmail(String token) {
        try {
            tx.executeWithoutResult(status -> {
                Instant now = clock.instant();
                Optional<UUID> verified = tokens.consume(token, OneTimeTokens.Purpose.VERIFY_EMAIL, now);
                if (verified.isEmpty()) {
                    OneTimeTokens.EmailChange change = tokens.consumeEmailChange(token, now)
                            .orElseThrow(() -> IdentityFailures.tokenInvalid("verification"));
                    applyEmailChange(change, now);
                    return;
                }
                UUID userId = verified.get();
                User user = users.byId(userId).orElseThrow(() -> IdentityFailures.tokenInvalid("verification"));
                if (!user.verified()) {
                    users.markVerified(userId, now);
                    mail(user, "welcome", Map.of());
                }
            });
        } catch (DuplicateKeyException raced) {
            // The new address was registered between our check and the update; the unique index decided.
            throw IdentityFailures.emailTaken();
        }
    }

    /**
     * Starts moving a signed-in user (who stepped up) to a new address: a link goes to the new address,
     * and the change happens only when it is used. The answer is the same whether or not another account
     * has the address; that account's owner gets a notice instead of a link, so nothing is revealed to
     * the requester and nobody can be moved onto an address they do not control.
     */
    void requestEmailChange(UUID userId, String rawEmail) {
        EmailAddress email = EmailAddress.of(rawEmail);
        if (disposable.contains(email)) throw IdentityFailures.disposableEmail();
        tx.executeWithoutResult(status -> {
            Instant now = clock.instant();
            User user = users.byId(userId).orElseThrow(IdentityFailures::sessionRevoked);
            if (user.email().equals(email.value())) return;
            Optional<User> owner = users.byEmail(email.value());
            if (owner.isPresent()) {
                mail(owner.get(), "email-change-taken", Map.of());
                return;
            }
            String token = tokens.issueEmailChange(userId, email.value(), now, settings.verifyEmailTtl());
            mail(
                    email.value(),
                    user,
                    "email-change",
                    Map.of(
                            "link",
                            http.base() + "/verify-email?token=" + token,
                            "expires_hours",
                            Long.toString(settings.verifyEmailTtl().toHours())));
        });
    }

    private void applyEmailChange(OneTimeTokens.EmailChange change, Instant now) {
        User user = users.byId(change.userId()).orElseThrow(() -> IdentityFailures.tokenInvalid("verification"));
        if (users.byEmail(change.newEmail()).isPresent()) throw IdentityFailures.emailTaken();
        users.changeEmail(user.id(), change.newEmail(), now);
        // Links sent to the old address must not work any more, nor other pending changes.
        tokens.retire(user.id(), OneTimeTokens.Purpose.PASSWORD_RESET, now);
        tokens.retire(user.id(), OneTimeTokens.Purpose.VERIFY_EMAIL, now);
        tokens.retire(user.id(), OneTimeTokens.Purpose.CHANGE_EMAIL, now);
        mail(user, "email-changed", Map.of("new_email", change.newEmail()));
        events.publishEvent(new EmailChanged(user.id(), user.email(), change.newEmail(), RequestIds.current(), now));
    }

    /**
     * Queues a new verification link. The lookup happens in a job, so this call costs the same whether
     * or not the address has an account: its timing reveals nothing.
     */
    void requestVerificationResend(String rawEmail) {
        emailLinks.enqueue(EmailLinkJob.Purpose.VERIFY_EMAIL, EmailAddress.normalize(rawEmail));
    }

    /** Queues a password reset link; like {@link #requestVerificationResend}, equally fast for any address. */
    void requestPasswordReset(String rawEmail) {
        emailLinks.enqueue(EmailLinkJob.Purpose.PASSWORD_RESET, EmailAddress.normalize(rawEmail));
    }

    /** Run by {@link EmailLinkJob}: mails a fresh verification link if the address has an unverified account. */
    void sendVerificationLink(String email) {
        tx.executeWithoutResult(status ->
                users.byEmail(email).filter(u -> !u.verified()).ifPresent(u -> sendVerification(u, clock.instant())));
    }

    /** Run by {@link EmailLinkJob}: mails a reset link if the address has an active account. */
    void sendResetLink(String email) {
        tx.executeWithoutResult(status -> users.byEmail(email)
                .filter(User::active)
                .ifPresent(u -> {
                    String token = tokens.issue(
                            u.id(), OneTimeTokens.Purpose.PASSWORD_RESET, clock.instant(), settings.passwordResetTtl());
                    mail(
                            u,
                            "password-reset",
                            Map.of(
                                    "link",
                                    http.base() + "/reset-password?token=" + token,
                                    "expires_minutes",
                                    Long.toString(settings.passwordResetTtl().toMinutes())));
                }));
    }

    /** Sets a new password from a reset link and ends every session: whoever had the old password is out. */
    void resetPassword(String token, String newPassword) {
        UUID owner = tokens.peek(token, OneTimeTokens.Purpose.PASSWORD_RESET, clock.instant())
                .orElseThrow(() -> IdentityFailures.tokenInvalid("password reset"));
        User user = users.byId(owner).orElseThrow(() -> IdentityFailures.tokenInvalid("password reset"));
        // The policy is checked before the link is used up, so a rejected password leaves it valid.
        policy.check(newPassword, user.email(), user.name());
        String hash = hasher.hash(newPassword);
        tx.executeWithoutResult(status -> {
            Instant now = clock.instant();
            UUID userId = tokens.consume(token, OneTimeTokens.Purpose.PASSWORD_RESET, now)
                    .orElseThrow(() -> IdentityFailures.tokenInvalid("password reset"));
            users.updatePasswordHash(userId, hash, now);
            // Proving control of the mailbox also proves the address.
            users.markVerified(userId, now);
            int ended = sessions.revokeAll(userId, null, now, RevokeReason.PASSWORD_RESET);
            events.publishEvent(new PasswordChanged(userId, true, ended, RequestIds.current(), now));
            mail(user, "password-changed", Map.of());
        });
    }

    /** Changes the password of a signed-in user and ends their other sessions. */
    void changePassword(UUID userId, @Nullable UUID currentSession, String currentPassword, String newPassword) {
        User user = users.byId(userId).orElseThrow(IdentityFailures::sessionRevoked);
        if (!hasher.matches(currentPassword, user.passwordHash())) throw IdentityFailures.wrongPassword();
        policy.check(newPassword, user.email(), user.name());
        String hash = hasher.hash(newPassword);
        tx.executeWithoutResult(status -> {
            Instant now = clock.instant();
            users.updatePasswordHash(userId, hash, now);
            int ended = sessions.revokeAll(userId, currentSession, now, RevokeReason.PASSWORD_CHANGED);
            events.publishEvent(new PasswordChanged(userId, false, ended, RequestIds.current(), now));
            mail(user, "password-changed", Map.of());
        });
    }

    User updateProfile(UUID userId, @Nullable String name, @Nullable String locale) {
        return tx.execute(status -> {
            User user = users.byId(userId).orElseThrow(IdentityFailures::sessionRevoked);
            String newName = name == null ? user.name() : name.strip();
            String newLocale = locale == null ? user.locale() : locale(locale);
            users.updateProfile(userId, newName, newLocale, clock.instant());
            return users.byId(userId).orElseThrow();
        });
    }
}
