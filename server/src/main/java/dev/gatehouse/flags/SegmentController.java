package dev.gatehouse.flags;

import dev.gatehouse.flags.FlagDocs.ConstraintDoc;
import dev.gatehouse.platform.CallerAuthentication;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Segments: named constraint lists that strategies use by name. */
@RequiresPermission(Permission.FLAGS_MANAGE)
@RestController
@RequestMapping(path = "/api/v1/admin/flag-segments", produces = "application/json")
class SegmentController {

    private final FlagAdmin admin;
    private final FlagRows rows;

    SegmentController(FlagAdmin admin, FlagRows rows) {
        this.admin = admin;
        this.rows = rows;
    }

    record SegmentView(
            String name,
            @Nullable String description,
            List<ConstraintDoc> constraints,
            long version,
            Instant updatedAt,
            @Nullable UUID updatedBy) {

        static SegmentView of(FlagRows.StoredSegment s) {
            return new SegmentView(
                    s.segment().name(),
                    s.segment().description(),
                    s.segment().constraints().stream().map(ConstraintDoc::of).toList(),
                    s.version(),
                    s.updatedAt(),
                    s.updatedBy());
        }
    }

    record SegmentList(List<SegmentView> data) {}

    @Operation(operationId = "listFlagSegments", summary = "Every segment, by name")
    @GetMapping
    SegmentList list() {
        return new SegmentList(rows.segments().stream().map(SegmentView::of).toList());
    }

    @Operation(
            operationId = "saveFlagSegment",
            summary = "Create or replace a segment; every flag using it sees the change on every node within a second")
    @PutMapping(path = "/{name}", consumes = "application/json")
    SegmentView save(@PathVariable String name, @Valid @RequestBody FlagDocs.SegmentDoc body) {
        var segment = FlagAdminSupport.model(() -> body.model(name));
        return SegmentView.of(admin.saveSegment(CallerAuthentication.current(), segment));
    }

    @Operation(operationId = "deleteFlagSegment", summary = "Delete a segment no flag uses (else 409 segment_in_use)")
    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String name) {
        admin.deleteSegment(CallerAuthentication.current(), name);
    }
}
