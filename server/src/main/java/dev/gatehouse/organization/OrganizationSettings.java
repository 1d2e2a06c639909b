package dev.gatehouse.organization;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Organization settings ({@code gatehouse.organizations.*}).
 *
 * @param invitationTtl how long an emailed invitation can be accepted
 * @param invitationUrl the page the invitation email links to, with {@code ?token=...} appended; it should
 *     sign the user in and call {@code POST /api/v1/invitations/{token}/accept}. Defaults to
 *     {@code <public-url>/accept-invitation}, for a product that serves that page itself
 */
@ConfigurationProperties("gatehouse.organizations")
record OrganizationSettings(
        @DefaultValue("7d") Duration invitationTtl,
        @Nullable String invitationUrl) {}
