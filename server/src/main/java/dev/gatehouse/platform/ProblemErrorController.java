package dev.gatehouse.platform;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Whatever the servlet container sends to {@code /error} still leaves as a problem, never a stack trace. */
@RestController
@RequiresPermission(Permission.PUBLIC)
class ProblemErrorController implements ErrorController {

    @RequestMapping("/error")
    ResponseEntity<Map<String, @Nullable Object>> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer i ? HttpStatus.resolve(i) : null;
        if (status == null) status = HttpStatus.INTERNAL_SERVER_ERROR;
        String problemCode = ProblemHandler.codeFor(status);
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemWriter.body(ProblemWriter.problem(
                        status, problemCode, status.getReasonPhrase(), "The request cannot be served.")));
    }
}
