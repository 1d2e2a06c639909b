package dev.gatehouse.organization;

import dev.gatehouse.platform.ApiException;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A member's role in the organization lacks a permission: 403 {@code forbidden} naming the permission. Other
 * modules' organization routes (API keys) answer with it too, so every such 403 has one shape.
 */
public final class PermissionDenied extends ApiException {

    public PermissionDenied(OrgPermission permission) {
        super(
                HttpStatus.FORBIDDEN,
                "forbidden",
                "Forbidden",
                "Your role in this organization does not allow this (" + permission.key() + ").",
                Map.of("permission", permission.key()));
    }
}
