package dev.gatehouse.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * Problems for what Tomcat refuses before the application sees the request (bad percent-encoding or
 * invalid UTF-8 in the path, an encoded NUL or slash, a malformed request line or header): its error report
 * valve answered those with an HTML page. This one answers an RFC 9457 problem, naming the path or the
 * query parameter when {@link InputText}'s decoding can tell which part is wrong.
 */
@Configuration(proxyBeanMethods = false)
class ContainerErrorConfiguration implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    private final ObjectProvider<ProblemWriter> problems;

    ContainerErrorConfiguration(ObjectProvider<ProblemWriter> problems) {
        this.problems = problems;
    }

    /** After Spring Boot's own customizer, which installs a plain (HTML) error report valve. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            Host host = (Host) context.getParent();
            for (Valve valve : host.getPipeline().getValves()) {
                if (valve instanceof ErrorReportValve) host.getPipeline().removeValve(valve);
            }
            host.getPipeline().addValve(new ProblemReportValve(problems));
            // The host adds its default valve at start unless one of this class is in the pipeline.
            if (host instanceof StandardHost standard) {
                standard.setErrorReportValveClass(ProblemReportValve.class.getName());
            }
        });
    }

    static final class ProblemReportValve extends ErrorReportValve {

        private final ObjectProvider<ProblemWriter> problems;

        ProblemReportValve(ObjectProvider<ProblemWriter> problems) {
            this.problems = problems;
        }

        @Override
        protected void report(Request request, Response response, @Nullable Throwable throwable) {
            int status = response.getStatus();
            // As Tomcat's own valve: only an error nobody has answered yet, and only once.
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) return;
            ProblemWriter writer = problems.getIfAvailable();
            if (writer == null) return;
            String id = requestId(request);
            ProblemDetail problem = problem(request, status);
            problem.setProperty("request_id", id);
            try {
                response.setHeader(RequestIds.HEADER, id);
                writer.write(response, problem);
                response.finishResponse();
            } catch (IOException | IllegalStateException e) {
                // The client is gone or the response was taken elsewhere; there is nobody left to tell.
            }
        }

        /** The request never reached {@link RequestIdFilter}; a valid supplied id is still echoed. */
        private static String requestId(Request request) {
            try {
                String supplied = request.getHeader(RequestIds.HEADER);
                return RequestIds.acceptable(supplied) ? supplied : RequestIdFilter.newId();
            } catch (RuntimeException e) {
                return RequestIdFilter.newId(); // the headers are what was malformed
            }
        }

        static ProblemDetail problem(Request request, int status) {
            if (status == HttpStatus.BAD_REQUEST.value()) {
                ProblemDetail blamed = blame(request.getRequestURI(), request.getQueryString());
                if (blamed != null) return blamed;
                return ProblemWriter.problem(
                        HttpStatus.BAD_REQUEST,
                        "bad_request",
                        "Bad Request",
                        "The request line or a header is malformed, or the path holds an encoded slash,"
                                + " backslash or NUL.");
            }
            HttpStatusCode code = HttpStatusCode.valueOf(status);
            HttpStatus known = HttpStatus.resolve(status);
            return ProblemWriter.problem(
                    code,
                    ProblemHandler.codeFor(code),
                    known == null ? "Error" : known.getReasonPhrase(),
                    "The request cannot be served.");
        }

        /** A problem naming the part of the request target {@link InputText} refuses: the path or a parameter. */
        static @Nullable ProblemDetail blame(@Nullable String path, @Nullable String query) {
            if (path != null) {
                byte[] raw = path.getBytes(StandardCharsets.UTF_8);
                try {
                    InputText.decode(raw, 0, raw.length, /* plusIsSpace= */ false);
                } catch (InputText.Refused e) {
                    return ProblemHandler.invalidField("path", String.valueOf(e.getMessage()));
                }
            }
            if (query != null) {
                try {
                    StrictInputFilter.parse(query.getBytes(StandardCharsets.UTF_8), new LinkedHashMap<>());
                } catch (StrictInputFilter.InvalidParameter e) {
                    return e.problem();
                }
            }
            return null;
        }
    }
}
