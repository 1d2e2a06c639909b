package dev.gatehouse.notification;

import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Lets admins read mail captured instead of sent (no SMTP configured): the embedded mode's inbox. */
@RequiresPermission(Permission.MAIL_READ)
@RestController
class CapturedMailController {

    private final Emails emails;

    CapturedMailController(Emails emails) {
        this.emails = emails;
    }

    record CapturedMailList(List<CapturedMail> data) {}

    @Operation(
            operationId = "listCapturedMail",
            summary = "Mail captured instead of sent (no SMTP configured), newest first")
    @GetMapping("/api/v1/admin/mail")
    CapturedMailList mail(
            @RequestParam(required = false) @Nullable String to,
            @RequestParam(defaultValue = "20") @Min(1) @Max(200) int limit) {
        return new CapturedMailList(emails.captured(to == null || to.isBlank() ? null : to.strip(), limit));
    }
}
