package dev.gatehouse.flags;

import dev.gatehouse.client.flags.Flag;
import dev.gatehouse.client.flags.FlagKind;
import dev.gatehouse.platform.CallerAuthentication;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Kill switches: {@code global} turns every flag off, a flag's key turns that flag off; stored in PostgreSQL (so
 * they survive restarts) and seen by every node within a second.
 */
@RequiresPermission(Permission.FLAGS_MANAGE)
@RestController
@RequestMapping(path = "/api/v1/admin/kill-switches", produces = "application/json")
class KillSwitchController {

    private final FlagAdmin admin;
    private final FlagRows rows;

    KillSwitchController(FlagAdmin admin, FlagRows rows) {
        this.admin = admin;
        this.rows = rows;
    }

    record KillSwitchView(
            String name,
            boolean active,
            Instant changedAt,
            @Nullable UUID changedBy) {

        static KillSwitchView of(FlagRows.KillSwitch k) {
            return new KillSwitchView(k.name(), k.active(), k.changedAt(), k.changedBy());
        }
    }

    record KillSwitchList(List<KillSwitchView> data) {}

    record KillSwitchChange(@NotNull Boolean active) {}

    @Operation(operationId = "listKillSwitches", summary = "Every kill switch ever set, on or off")
    @GetMapping
    KillSwitchList list() {
        return new KillSwitchList(
                rows.killSwitches().stream().map(KillSwitchView::of).toList());
    }

    @Operation(
            operationId = "setKillSwitch",
            summary = "Turn a kill switch on or off: global, or a flag's key (the flag need not exist yet)",
            description = "Every node evaluates accordingly within a second. Setting a switch to its current state"
                    + " changes and records nothing.")
    @PostMapping(path = "/{name}", consumes = "application/json")
    KillSwitchView set(@PathVariable String name, @Valid @RequestBody KillSwitchChange body) {
        checkName(name);
        return KillSwitchView.of(admin.setKillSwitch(CallerAuthentication.current(), name, body.active()));
    }

    /** A switch is named like a flag key (so a flag's switch can be set before the flag exists). */
    private static void checkName(String name) {
        try {
            new Flag(name, FlagKind.BOOLEAN, null, false, null, null, null);
        } catch (IllegalArgumentException e) {
            throw FlagFailures.invalidName(e.getMessage().replace("key", "kill switch name"));
        }
    }
}
