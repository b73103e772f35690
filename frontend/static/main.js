// Loads the Yew app. Kept in its own file so the window's content security policy needs no
// inline script. If loading fails, say so on the page instead of leaving it blank.
import init from "./hoso_frontend.js";

function show(message) {
  const p = document.createElement("pre");
  p.id = "load-error";
  p.textContent = "Hồ Sơ Số không khởi động được / could not start: " + message;
  document.body.appendChild(p);
}

document.addEventListener("securitypolicyviolation", (e) => show("CSP " + e.violatedDirective + " " + e.blockedURI));
init().catch((e) => show(String(e)));
