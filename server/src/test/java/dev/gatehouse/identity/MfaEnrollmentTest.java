package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import dev.gatehouse.identity.mfa.Base32;
import dev.gatehouse.identity.mfa.Totp;
import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import dev.gatehouse.support.TestClock;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.AssertablePublishedEvents;
import org.springframework.modulith.test.PublishedEventsExtension;
import tools.jackson.databind.JsonNode;

/** TOTP enrollment over HTTP: start, the otpauth URI and its QR code, confirm, then a two-step sign-in. */
@ExtendWith(PublishedEventsExtension.class)
class MfaEnrollmentTest extends EndToEndTest {

    @Autowired
    TestClock clock;

    @Autowired
    JdbcClient db;

    TestAccounts accounts;
    TwoFactorAccounts twoFactor;

    @BeforeEach
    void setUp() {
        accounts = new TestAccounts(http, SMTP);
        twoFactor = new TwoFactorAccounts(http, accounts, clock);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void enrollConfirmThenSignInWithPasswordAndCode(AssertablePublishedEvents events) {
        TestAccounts.Account a = accounts.create("mfa-tour");
        UUID userId = twoFactor.userId(a.accessToken());
        assertThat(http.get("/api/v1/me")
                        .bearer(a.accessToken())
                        .send()
                        .json()
                        .get("mfa_enabled")
                        .asBoolean())
                .isFalse();

        Http.Response start =
                http.post("/api/v1/me/mfa/totp").bearer(a.accessToken()).send();
        assertThat(start.status()).as(start.toString()).isEqualTo(200);
        String secret = start.json().get("secret").asString();
        assertThat(secret).matches("[A-Z2-7]{32}");
        byte[] key = Base32.decode(secret);
        assertThat(key).hasSize(20);

        // Nothing is on until confirmed: the password alone still signs in.
        assertThat(twoFactor.login(a.email()).status()).isEqualTo(200);

        Http.Response confirm = http.post("/api/v1/me/mfa/totp/confirm")
                .bearer(a.accessToken())
                .json("code", Totp.code(key, clock.instant()))
                .send();
        assertThat(confirm.status()).as(confirm.toString()).isEqualTo(200);
        List<String> codes = strings(confirm.json().get("recovery_codes"));
        assertThat(codes).hasSize(10).doesNotHaveDuplicates().allMatch(c -> c.matches("[a-z2-7]{5}-[a-z2-7]{5}"));
        assertThat(http.get("/api/v1/me")
                        .bearer(a.accessToken())
                        .send()
                        .json()
                        .get("mfa_enabled")
                        .asBoolean())
                .isTrue();

        Http.Response login = twoFactor.login(a.email());
        assertThat(login.status()).isEqualTo(401);
        assertThat(login.header("Content-Type")).startsWith("application/problem+json");
        assertThat(login.code()).isEqualTo("mfa_required");
        assertThat(login.json().get("type").asString()).isEqualTo("https://gatehouse.dev/problems/mfa-required");
        assertThat(login.json().get("expires_in").asInt()).isEqualTo(300);
        String mfaToken = login.json().get("mfa_token").asString();
        assertThat(mfaToken).startsWith("ghm_");
        assertThat(login.json().has("access_token")).isFalse();

        Http.Response tokens = twoFactor.loginMfa(mfaToken, twoFactor.nextCode(key));
        assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
        assertThat(tokens.json().get("token_type").asString()).isEqualTo("Bearer");
        String access = tokens.json().get("access_token").asString();
        Http.Response me = http.get("/api/v1/me").bearer(access).send();
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("email").asString()).isEqualTo(a.email());
        Http.Response refreshed = http.post("/api/v1/auth/token/refresh")
                .json("refresh_token", tokens.json().get("refresh_token").asString())
                .send();
        assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);

        assertThat(events.ofType(MfaEnabled.class).matching(MfaEnabled::userId, userId::equals))
                .singleElement()
                .satisfies(e -> assertThat(e.reEnrolled()).isFalse());
        UUID newSession = UUID.fromString(me.json().get("session_id").asString());
        assertThat(events.ofType(MfaChallengePassed.class).matching(MfaChallengePassed::userId, userId::equals))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.sessionId()).isEqualTo(newSession);
                    assertThat(e.method()).isEqualTo(ProofMethod.TOTP);
                });
    }

    @Test
    void otpauthUriParsesAndTheQrCodeDecodesToIt() throws Exception {
        TestAccounts.Account a = accounts.create("mfa-qr");
        JsonNode start =
                http.post("/api/v1/me/mfa/totp").bearer(a.accessToken()).send().json();
        String uriText = start.get("otpauth_uri").asString();

        URI uri = URI.create(uriText);
        assertThat(uri.getScheme()).isEqualTo("otpauth");
        assertThat(uri.getHost()).isEqualTo("totp");
        assertThat(uri.getPath()).isEqualTo("/Gatehouse:" + a.email());
        Map<String, String> query = query(uri.getRawQuery());
        assertThat(query)
                .containsExactly(
                        Map.entry("secret", start.get("secret").asString()),
                        Map.entry("issuer", "Gatehouse"),
                        Map.entry("algorithm", "SHA1"),
                        Map.entry("digits", "6"),
                        Map.entry("period", "30"));

        byte[] png = Base64.getDecoder().decode(start.get("qr_png").asString());
        assertThat(Arrays.copyOf(png, 8)).containsExactly(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        // PURE_BARCODE: the image is exactly a QR code with its quiet zone, not a photo of one; ZXing's
        // photo detector misplaces the alignment pattern on a few synthetic images in a thousand.
        String decoded = new QRCodeReader()
                .decode(
                        new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))),
                        Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE))
                .getText();
        assertThat(decoded).isEqualTo(uriText);
    }

    @Test
    void secretsAndRecoveryCodesNeverRestInClear() {
        TestAccounts.Account a = accounts.create("mfa-rest");
        Http.Response start =
                http.post("/api/v1/me/mfa/totp").bearer(a.accessToken()).send();
        String secret = start.json().get("secret").asString();
        byte[] key = Base32.decode(secret);
        List<String> codes = strings(http.post("/api/v1/me/mfa/totp/confirm")
                .bearer(a.accessToken())
                .json("code", Totp.code(key, clock.instant()))
                .send()
                .json()
                .get("recovery_codes"));
        UUID userId = twoFactor.userId(a.accessToken());

        byte[] sealed = db.sql("select secret_sealed from totp_factors where user_id = :u")
                .param("u", userId)
                .query(byte[].class)
                .single();
        assertThat(sealed).isNotNull();
        assertThat(indexOf(sealed, key)).isNegative();
        assertThat(indexOf(sealed, secret.getBytes(StandardCharsets.US_ASCII))).isNegative();

        List<byte[]> hashes = db.sql("select code_hash from recovery_codes where user_id = :u")
                .param("u", userId)
                .query(byte[].class)
                .list();
        assertThat(hashes).hasSize(10).allMatch(h -> h.length == 32);
        for (String code : codes) {
            for (byte[] h : hashes) {
                assertThat(indexOf(h, code.replace("-", "").getBytes(StandardCharsets.US_ASCII)))
                        .isNegative();
            }
        }
    }

    @Test
    void confirmNeedsAStartedEnrollmentAndTheRightCode() {
        TestAccounts.Account a = accounts.create("mfa-confirm");
        Http.Response early = http.post("/api/v1/me/mfa/totp/confirm")
                .bearer(a.accessToken())
                .json("code", "123456")
                .send();
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.code()).isEqualTo("mfa_enrollment_not_started");

        byte[] key = Base32.decode(http.post("/api/v1/me/mfa/totp")
                .bearer(a.accessToken())
                .send()
                .json()
                .get("secret")
                .asString());
        String right = Totp.code(key, clock.instant());
        String wrong = right.equals("000000") ? "000001" : "000000";
        Http.Response bad = http.post("/api/v1/me/mfa/totp/confirm")
                .bearer(a.accessToken())
                .json("code", wrong)
                .send();
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.code()).isEqualTo("invalid_mfa_code");
        assertThat(twoFactor.login(a.email()).status()).isEqualTo(200);

        // A code three steps old is outside the window.
        String stale = Totp.code(key, Totp.step(clock.instant()) - 3, Totp.Algorithm.SHA1, 6);
        if (!stale.equals(right)) {
            Http.Response old = http.post("/api/v1/me/mfa/totp/confirm")
                    .bearer(a.accessToken())
                    .json("code", stale)
                    .send();
            assertThat(old.code()).isEqualTo("invalid_mfa_code");
        }
    }

    @Test
    void reEnrollmentKeepsTheOldAuthenticatorUntilTheNewOneIsConfirmed(AssertablePublishedEvents events) {
        TwoFactorAccounts.Enrolled u = twoFactor.create("mfa-reenroll");
        UUID userId = twoFactor.userId(u.accessToken());
        Http.Response start =
                http.post("/api/v1/me/mfa/totp").bearer(u.accessToken()).send();
        assertThat(start.status()).as(start.toString()).isEqualTo(200);
        byte[] newKey = Base32.decode(start.json().get("secret").asString());

        // Still the old one until confirmed.
        String mfaToken = twoFactor.mfaToken(u.email());
        assertThat(twoFactor.loginMfa(mfaToken, twoFactor.nextCode(u.secret())).status())
                .isEqualTo(200);

        Http.Response confirm = http.post("/api/v1/me/mfa/totp/confirm")
                .bearer(u.accessToken())
                .json("code", twoFactor.nextCode(newKey))
                .send();
        assertThat(confirm.status()).as(confirm.toString()).isEqualTo(200);
        List<String> newCodes = strings(confirm.json().get("recovery_codes"));
        assertThat(newCodes).hasSize(10).doesNotContainAnyElementsOf(u.recoveryCodes());

        String oldCode = twoFactor.nextCode(u.secret());
        String newCode = Totp.code(newKey, clock.instant());
        if (!oldCode.equals(newCode)) {
            Http.Response withOld = twoFactor.loginMfa(twoFactor.mfaToken(u.email()), oldCode);
            assertThat(withOld.code()).isEqualTo("invalid_mfa_code");
        }
        assertThat(twoFactor.loginMfa(twoFactor.mfaToken(u.email()), newCode).status())
                .isEqualTo(200);
        assertThat(twoFactor
                        .loginRecovery(
                                twoFactor.mfaToken(u.email()), u.recoveryCodes().getFirst())
                        .code())
                .isEqualTo("invalid_mfa_code");
        assertThat(events.ofType(MfaEnabled.class).matching(MfaEnabled::userId, userId::equals))
                .extracting(MfaEnabled::reEnrolled)
                .containsExactly(false, true);
    }

    private static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        return -1;
    }
}
