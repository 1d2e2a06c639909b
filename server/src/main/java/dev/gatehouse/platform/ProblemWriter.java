package dev.gatehouse.platform;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Builds RFC 9457 problem bodies the same way for controllers, filters and security entry points. */
@Component
public class ProblemWriter {

    private final JsonMapper json;

    ProblemWriter(JsonMapper json) {
        this.json = json;
    }

    public static ProblemDetail problem(HttpStatusCode status, String code, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(Problems.type(code));
        problem.setTitle(title);
        problem.setProperty("code", code);
        String requestId = RequestIds.current();
        if (requestId != null) {
            problem.setProperty("request_id", requestId);
        }
        return problem;
    }

    public static ProblemDetail problem(ApiException e) {
        ProblemDetail problem = problem(e.status(), e.code(), e.title(), e.detail());
        for (Map.Entry<String, @Nullable Object> p : e.properties().entrySet()) {
            problem.setProperty(p.getKey(), p.getValue());
        }
        return problem;
    }

    /** Writes a problem straight to the servlet response, for code that runs outside Spring MVC. */
    public void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), body(problem));
    }

    /** The problem as its JSON members, in RFC 9457 order, with extension members at the top level. */
    public static Map<String, @Nullable Object> body(ProblemDetail problem) {
        Map<String, @Nullable Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        if (problem.getInstance() != null) {
            body.put("instance", problem.getInstance().toString());
        }
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        return body;
    }

    public void write(HttpServletResponse response, ApiException e) throws IOException {
        e.headers().forEach(response::setHeader);
        write(response, problem(e));
    }
}
