"""Every word the portal's pages say, in English and in Spanish (one dict per language, same keys).

Templates read them as ``w.key``; a test checks that both languages have the same keys and
that a Spanish page carries no English sentence.
"""

from __future__ import annotations

from typing import Final

LANGUAGES: Final = ("en", "es")
DEFAULT_LANGUAGE: Final = "en"

ENGLISH: Final[dict[str, str]] = {
    # the layout
    "site_name": "Patient portal",
    "switch_language": "Español",
    "footer": "Questions about your account? Call the clinic.",
    "nav_label": "Other ways in",
    "page_problem": "Please fix the problem below.",
    # the fields
    "username": "Username",
    "username_hint": "At least 4 characters: letters, digits and . _ - @ +",
    "password": "Password",
    "new_password_hint": "At least 10 characters, not your username.",
    "first_name": "First name",
    "last_name": "Last name",
    "date_of_birth": "Date of birth",
    "email": "Email",
    "zip_code": "ZIP code",
    "code": "Activation code",
    "code_hint": "The 8 characters printed on the clinic's letter.",
    "username_or_email": "Username or email",
    "old_password": "Current password",
    "new_password": "New password",
    "new_password_again": "New password again",
    # sign in
    "sign_in_title": "Sign in",
    "sign_in_intro": "Sign in to your patient portal account.",
    "sign_in_button": "Sign in",
    "link_register": "New patient? Register",
    "link_claim": "Already a patient here? Create your account",
    "link_forgot": "Forgot your password?",
    "link_activate": "Have a letter with an activation code?",
    "link_sign_in": "Back to sign in",
    # register
    "register_title": "Register as a new patient",
    "register_intro": "We will email you a link to confirm your address.",
    "register_button": "Register",
    "register_done": (
        "Thank you. We sent you an email: open the link in it to confirm your registration. "
        "Check your spam folder if it does not arrive."
    ),
    # claim
    "claim_title": "Create your account",
    "claim_intro": (
        "For patients the clinic already knows: type your details exactly as the clinic has them, "
        "then choose a username and password."
    ),
    "claim_button": "Create my account",
    # forgot
    "forgot_title": "Forgot your password?",
    "forgot_intro": "Type your username or the email address the clinic has for you.",
    "forgot_button": "Send me a link",
    "forgot_done": (
        "If this matches an account, we have sent an email with a link to choose a new password. "
        "Check your inbox and your spam folder. No email? Call the clinic."
    ),
    # the emailed links
    "invitation_title": "Set up your account",
    "invitation_intro": "Choose a username and a password for your patient portal account.",
    "invitation_button": "Save and continue",
    "reset_title": "Choose a new password",
    "reset_intro": "Type the new password for your account.",
    "reset_button": "Save the new password",
    "confirm_title": "Confirm your registration",
    "confirm_intro": "Press the button to confirm your email address.",
    "confirm_button": "Confirm my registration",
    "confirm_done": "Thank you: your email address is confirmed. You can sign in now.",
    # activate
    "activate_title": "Activate your account",
    "activate_intro": (
        "Type the code from the clinic's letter and your date of birth, then choose a username and password."
    ),
    "activate_button": "Activate my account",
    # after success, on the sign-in page
    "account_ready": "Your account is ready. Sign in with your username and password.",
    "password_saved": "Your new password is saved. Sign in with it.",
    "signed_out": "You are signed out.",
    "session_ended": "You were signed out after a while without activity. Please sign in again.",
    # the account page
    "account_title": "Your account",
    "hello": "Hello, {name}",
    "account_intro": "You are signed in to the patient portal.",
    "signed_in_as": "Signed in as",
    "change_password_title": "Change your password",
    "change_password_button": "Change password",
    "must_change_password": "Please choose your own password before you go on.",
    "password_changed": "Your password has been changed.",
    "passwords_differ": "The two new passwords are not the same. Type them again.",
    "sign_out_button": "Sign out",
    # answers
    "refused": (
        "We could not do that with the details given. Check them and try again later, or call the clinic."
    ),
    "link_used": "This link has already been used. Ask the clinic to send a new one.",
    "link_revoked": (
        "This link no longer works: a newer email or a change at the clinic replaced it. "
        "Use the newest email from the clinic, or call the clinic."
    ),
    "link_expired": "This link has expired. Ask the clinic to send a new one.",
    "link_missing": "This link is not complete. Open it again from the email, or call the clinic.",
    "username_taken": "This username is taken. Choose another one.",
    "field_required": "Please fill this in.",
    "field_not_accepted": "Please check what you typed here.",
    "password_too_short": "Use at least 10 characters.",
    "password_too_long": "Use at most 256 characters.",
    "password_is_username": "The password must not be or contain your username.",
    "password_same_as_old": "Choose a password different from the current one.",
    "username_too_short": "Use at least 4 characters.",
    "username_characters": "Use only letters, digits and . _ - @ +, starting with a letter or digit.",
    "email_not_valid": "This is not an email address we can use. Check it for typos.",
    "zip_not_valid": "Type a US ZIP code: 5 digits (12345) or ZIP+4 (12345-6789).",
    "date_not_valid": "Type your date of birth as shown (month, day, year).",
    "name_not_valid": "Type your name with letters.",
    "hidden_characters": "Remove the invisible characters: type it rather than pasting it.",
    "too_long": "This is too long.",
    # error pages
    "error_title": "Something went wrong",
    "not_found_title": "Page not found",
    "not_found_text": "There is no page at this address. Check the link, or start from the sign-in page.",
    "method_title": "Not allowed",
    "method_text": "This page cannot be used that way. Start again from the sign-in page.",
    "server_error_text": "The portal hit a problem. Nothing was changed; please try again in a few minutes.",
    "forbidden_title": "Form expired",
    "csrf_text": (
        "This form has expired or was not sent from this site. Go back, reload the page and try again."
    ),
    "too_large_title": "Too much text",
    "too_large_text": "The form sent far more text than it can hold. Go back and check what was pasted.",
    "too_many_title": "Too many tries",
    "too_many_text": "Too many tries from your connection. Wait a minute, then try again.",
    "unavailable_title": "Please try again later",
    "unavailable_text": "The portal cannot reach the clinic's records right now. Try again in a few minutes.",
    "back_to_start": "Go to the sign-in page",
}

SPANISH: Final[dict[str, str]] = {
    "site_name": "Portal del paciente",
    "switch_language": "English",
    "footer": "¿Preguntas sobre su cuenta? Llame a la clínica.",
    "nav_label": "Otras opciones",
    "page_problem": "Corrija el problema que se indica abajo.",
    "username": "Nombre de usuario",
    "username_hint": "Al menos 4 caracteres: letras, números y . _ - @ +",
    "password": "Contraseña",
    "new_password_hint": "Al menos 10 caracteres, distinta de su nombre de usuario.",
    "first_name": "Nombre",
    "last_name": "Apellido",
    "date_of_birth": "Fecha de nacimiento",
    "email": "Correo electrónico",
    "zip_code": "Código postal",
    "code": "Código de activación",
    "code_hint": "Los 8 caracteres impresos en la carta de la clínica.",
    "username_or_email": "Nombre de usuario o correo electrónico",
    "old_password": "Contraseña actual",
    "new_password": "Contraseña nueva",
    "new_password_again": "Repita la contraseña nueva",
    "sign_in_title": "Iniciar sesión",
    "sign_in_intro": "Inicie sesión en su cuenta del portal del paciente.",
    "sign_in_button": "Entrar",
    "link_register": "¿Paciente nuevo? Regístrese",
    "link_claim": "¿Ya es paciente de la clínica? Cree su cuenta",
    "link_forgot": "¿Olvidó su contraseña?",
    "link_activate": "¿Tiene una carta con un código de activación?",
    "link_sign_in": "Volver a iniciar sesión",
    "register_title": "Registrarse como paciente nuevo",
    "register_intro": "Le enviaremos un enlace por correo para confirmar su dirección.",
    "register_button": "Registrarme",
    "register_done": (
        "Gracias. Le enviamos un correo: abra el enlace que contiene para confirmar su registro. "
        "Si no llega, revise la carpeta de correo no deseado."
    ),
    "claim_title": "Cree su cuenta",
    "claim_intro": (
        "Para pacientes que la clínica ya conoce: escriba sus datos tal como los tiene la clínica "
        "y luego elija un nombre de usuario y una contraseña."
    ),
    "claim_button": "Crear mi cuenta",
    "forgot_title": "¿Olvidó su contraseña?",
    "forgot_intro": "Escriba su nombre de usuario o el correo electrónico que tiene la clínica.",
    "forgot_button": "Envíenme un enlace",
    "forgot_done": (
        "Si coincide con una cuenta, le enviamos un correo con un enlace para elegir una contraseña "
        "nueva. Revise su bandeja de entrada y la de correo no deseado. ¿No llegó? Llame a la clínica."
    ),
    "invitation_title": "Configure su cuenta",
    "invitation_intro": "Elija un nombre de usuario y una contraseña para su cuenta del portal.",
    "invitation_button": "Guardar y continuar",
    "reset_title": "Elija una contraseña nueva",
    "reset_intro": "Escriba la contraseña nueva de su cuenta.",
    "reset_button": "Guardar la contraseña nueva",
    "confirm_title": "Confirme su registro",
    "confirm_intro": "Pulse el botón para confirmar su correo electrónico.",
    "confirm_button": "Confirmar mi registro",
    "confirm_done": "Gracias: su correo electrónico está confirmado. Ya puede iniciar sesión.",
    "activate_title": "Active su cuenta",
    "activate_intro": (
        "Escriba el código de la carta de la clínica y su fecha de nacimiento; luego elija un nombre "
        "de usuario y una contraseña."
    ),
    "activate_button": "Activar mi cuenta",
    "account_ready": "Su cuenta está lista. Inicie sesión con su nombre de usuario y contraseña.",
    "password_saved": "Su contraseña nueva está guardada. Inicie sesión con ella.",
    "signed_out": "Ha cerrado la sesión.",
    "session_ended": "Su sesión se cerró tras un tiempo sin actividad. Vuelva a iniciar sesión.",
    "account_title": "Su cuenta",
    "hello": "Hola, {name}",
    "account_intro": "Ha iniciado sesión en el portal del paciente.",
    "signed_in_as": "Sesión iniciada como",
    "change_password_title": "Cambie su contraseña",
    "change_password_button": "Cambiar la contraseña",
    "must_change_password": "Antes de continuar, elija su propia contraseña.",
    "password_changed": "Su contraseña se ha cambiado.",
    "passwords_differ": "Las dos contraseñas nuevas no coinciden. Escríbalas de nuevo.",
    "sign_out_button": "Cerrar sesión",
    "refused": (
        "No pudimos hacerlo con los datos indicados. Revíselos e inténtelo más tarde, o llame a la clínica."
    ),
    "link_used": "Este enlace ya se usó. Pida a la clínica que le envíe uno nuevo.",
    "link_revoked": (
        "Este enlace ya no funciona: lo reemplazó un correo más reciente o un cambio en la clínica. "
        "Use el correo más reciente de la clínica, o llame a la clínica."
    ),
    "link_expired": "Este enlace caducó. Pida a la clínica que le envíe uno nuevo.",
    "link_missing": "Este enlace está incompleto. Ábralo otra vez desde el correo, o llame a la clínica.",
    "username_taken": "Ese nombre de usuario ya existe. Elija otro.",
    "field_required": "Complete este dato.",
    "field_not_accepted": "Revise lo que escribió aquí.",
    "password_too_short": "Use al menos 10 caracteres.",
    "password_too_long": "Use como máximo 256 caracteres.",
    "password_is_username": "La contraseña no puede ser ni contener su nombre de usuario.",
    "password_same_as_old": "Elija una contraseña distinta de la actual.",
    "username_too_short": "Use al menos 4 caracteres.",
    "username_characters": "Use solo letras, números y . _ - @ +, empezando por una letra o un número.",
    "email_not_valid": "No podemos usar esta dirección de correo. Revise si tiene errores.",
    "zip_not_valid": "Escriba un código postal de EE. UU.: 5 dígitos (12345) o ZIP+4 (12345-6789).",
    "date_not_valid": "Escriba su fecha de nacimiento como se indica (mes, día, año).",
    "name_not_valid": "Escriba su nombre con letras.",
    "hidden_characters": "Quite los caracteres invisibles: escríbalo en lugar de pegarlo.",
    "too_long": "Es demasiado largo.",
    "error_title": "Algo salió mal",
    "not_found_title": "Página no encontrada",
    "not_found_text": (
        "No hay ninguna página en esta dirección. Revise el enlace o empiece en la página de inicio."
    ),
    "method_title": "No permitido",
    "method_text": "Esta página no se puede usar así. Empiece de nuevo en la página de inicio de sesión.",
    "server_error_text": "El portal tuvo un problema. No se cambió nada; inténtelo de nuevo en unos minutos.",
    "forbidden_title": "Formulario caducado",
    "csrf_text": (
        "Este formulario caducó o no se envió desde este sitio. Vuelva atrás, recargue la página e "
        "inténtelo de nuevo."
    ),
    "too_large_title": "Demasiado texto",
    "too_large_text": "El formulario envió mucho más texto del que admite. Vuelva atrás y revise lo pegado.",
    "too_many_title": "Demasiados intentos",
    "too_many_text": "Demasiados intentos desde su conexión. Espere un minuto y vuelva a intentarlo.",
    "unavailable_title": "Inténtelo más tarde",
    "unavailable_text": (
        "El portal no puede acceder a los registros de la clínica en este momento. Inténtelo en unos minutos."
    ),
    "back_to_start": "Ir a la página de inicio de sesión",
}

WORDS: Final[dict[str, dict[str, str]]] = {"en": ENGLISH, "es": SPANISH}


class Words:
    """One language's words, read as attributes in templates (``w.sign_in_title``)."""

    def __init__(self, language: str) -> None:
        self.language = language if language in WORDS else DEFAULT_LANGUAGE
        self._words = WORDS[self.language]

    def __getattr__(self, key: str) -> str:
        try:
            return self._words[key]
        except KeyError:
            raise AttributeError(key) from None

    def __getitem__(self, key: str) -> str:
        return self._words[key]
