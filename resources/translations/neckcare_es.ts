<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
<context>
    <name>AppActions</name>
    <message>
        <source>NeckCare</source>
        <translation>NeckCare</translation>
    </message>
    <message>
        <source>Start ice</source>
        <translation>Aplicar hielo</translation>
    </message>
    <message>
        <source>Ice 10 on · 10 off · 10 on</source>
        <translation>Hielo: 10 con · 10 sin · 10 con</translation>
    </message>
    <message>
        <source>Start heat</source>
        <translation>Aplicar calor</translation>
    </message>
    <message>
        <source>Stop timer</source>
        <translation>Detener temporizador</translation>
    </message>
    <message>
        <source>My skin is numb</source>
        <translation>Tengo la piel entumecida</translation>
    </message>
    <message>
        <source>Log a spasm…</source>
        <translation>Registrar un espasmo…</translation>
    </message>
    <message>
        <source>Update spasm…</source>
        <translation>Actualizar espasmo…</translation>
    </message>
    <message>
        <source>Take a break now</source>
        <translation>Hacer una pausa ahora</translation>
    </message>
    <message>
        <source>30 minutes</source>
        <translation>30 minutos</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 hora</translation>
    </message>
    <message>
        <source>2 hours</source>
        <translation>2 horas</translation>
    </message>
    <message>
        <source>Until tomorrow morning</source>
        <translation>Hasta mañana por la mañana</translation>
    </message>
    <message>
        <source>Resume reminders</source>
        <translation>Reanudar recordatorios</translation>
    </message>
    <message>
        <source>History…</source>
        <translation>Historial…</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Configuración…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Salir</translation>
    </message>
</context>
<context>
    <name>AppController</name>
    <message>
        <source>Ice again so soon?</source>
        <translation>¿Hielo otra vez tan pronto?</translation>
    </message>
    <message>
        <source>Cannot start ice</source>
        <translation>No se puede aplicar hielo</translation>
    </message>
    <message>
        <source>Cannot start heat</source>
        <translation>No se puede aplicar calor</translation>
    </message>
    <message>
        <source>Nothing to stop</source>
        <translation>No hay nada que detener</translation>
    </message>
    <message>
        <source>Ice cancelled: it was on for less than 2 minutes.</source>
        <translation>Hielo cancelado: estuvo puesto menos de 2 minutos.</translation>
    </message>
    <message>
        <source>Heat cancelled: it was on for less than 2 minutes.</source>
        <translation>Calor cancelado: estuvo puesto menos de 2 minutos.</translation>
    </message>
    <message>
        <source>Ice stopped after {minutes} min.</source>
        <translation>Hielo detenido tras {minutes} min.</translation>
    </message>
    <message>
        <source>Heat stopped after {minutes} min.</source>
        <translation>Calor detenido tras {minutes} min.</translation>
    </message>
    <message>
        <source>Ice stopped</source>
        <translation>Hielo detenido</translation>
    </message>
    <message>
        <source>Heat stopped</source>
        <translation>Calor detenido</translation>
    </message>
    <message>
        <source>Reminders paused</source>
        <translation>Recordatorios en pausa</translation>
    </message>
    <message>
        <source>Break reminders are paused until %1. Ice and heat timers still work.</source>
        <translation>Los recordatorios de pausas quedan detenidos hasta las %1. Los temporizadores de hielo y calor siguen funcionando.</translation>
    </message>
    <message>
        <source>Quit NeckCare?</source>
        <translation>¿Salir de NeckCare?</translation>
    </message>
    <message>
        <source>Quit anyway?</source>
        <translation>¿Salir de todos modos?</translation>
    </message>
    <message>
        <source>No open spasm</source>
        <translation>No hay ningún espasmo sin resolver</translation>
    </message>
    <message>
        <source>There is no spasm to update.</source>
        <translation>No hay ningún espasmo que actualizar.</translation>
    </message>
</context>
<context>
    <name>BreakPresenter</name>
    <message>
        <source>Break over</source>
        <translation>Pausa terminada</translation>
    </message>
    <message>
        <source>Welcome back. Nice work.</source>
        <translation>Ya estás de vuelta. ¡Bien hecho!</translation>
    </message>
    <message>
        <source>Micro-break</source>
        <translation>Micropausa</translation>
    </message>
    <message>
        <source>Look at something far away for {duration} and let your shoulders drop.</source>
        <translation>Mira algo lejano durante {duration} y deja caer los hombros.</translation>
    </message>
    <message>
        <source>Posture break</source>
        <translation>Pausa postural</translation>
    </message>
    <message>
        <source>Stand up, walk a little and stretch gently for {duration}.</source>
        <translation>Levántate, camina un poco y estírate con suavidad durante {duration}.</translation>
    </message>
    <message>
        <source>{minutes} min {seconds} s</source>
        <translation>{minutes} min {seconds} s</translation>
    </message>
    <message>
        <source>Posture break in {duration}.</source>
        <translation>Pausa postural en {duration}.</translation>
    </message>
    <message>
        <source>Click here to postpone it %1 min.</source>
        <translation>Haz clic aquí para posponerla %1 min.</translation>
    </message>
    <message>
        <source>Break coming up</source>
        <translation>Se acerca una pausa</translation>
    </message>
    <message>
        <source>Break postponed</source>
        <translation>Pausa pospuesta</translation>
    </message>
    <message>
        <source>Your posture break moved %1 min later.</source>
        <translation>Tu pausa postural se retrasó %1 min.</translation>
    </message>
</context>
<context>
    <name>BreakWindow</name>
    <message>
        <source>1 second</source>
        <translation>1 segundo</translation>
    </message>
    <message>
        <source>%1 seconds</source>
        <translation>%1 segundos</translation>
    </message>
    <message>
        <source>1 minute</source>
        <translation>1 minuto</translation>
    </message>
    <message>
        <source>%1 minutes</source>
        <translation>%1 minutos</translation>
    </message>
    <message>
        <source>Micro-break — NeckCare</source>
        <translation>Micropausa — NeckCare</translation>
    </message>
    <message>
        <source>Posture break — NeckCare</source>
        <translation>Pausa postural — NeckCare</translation>
    </message>
    <message>
        <source>Time for a micro-break</source>
        <translation>Es hora de una micropausa</translation>
    </message>
    <message>
        <source>Time for a posture break</source>
        <translation>Es hora de una pausa postural</translation>
    </message>
    <message>
        <source>A short pause for your eyes and shoulders: %1.</source>
        <translation>Un breve descanso para los ojos y los hombros: %1.</translation>
    </message>
    <message>
        <source>Stand up and move gently for %1.</source>
        <translation>Levántate y muévete con suavidad durante %1.</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Tiempo restante</translation>
    </message>
    <message>
        <source>Start break</source>
        <translation>Empezar pausa</translation>
    </message>
    <message>
        <source>Postpone %1 min</source>
        <translation>Posponer %1 min</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Omitir</translation>
    </message>
    <message>
        <source>Postponed enough times: time to move.</source>
        <translation>Ya se pospuso suficientes veces: es hora de moverse.</translation>
    </message>
    <message>
        <source>Strict mode: this break is not optional.</source>
        <translation>Modo estricto: esta pausa no es opcional.</translation>
    </message>
    <message>
        <source>Stop if it hurts.</source>
        <translation>Detente si te duele.</translation>
    </message>
    <message>
        <source>Takes about %1</source>
        <translation>Duración aproximada: %1</translation>
    </message>
    <message>
        <source>Move gently</source>
        <translation>Muévete con suavidad</translation>
    </message>
    <message>
        <source>Slow, mindful movement only. Stop if it hurts.</source>
        <translation>Solo movimientos lentos y conscientes. Detente si te duele.</translation>
    </message>
    <message>
        <source>Illustration: %1</source>
        <translation>Ilustración: %1</translation>
    </message>
    <message>
        <source>End break early</source>
        <translation>Terminar la pausa antes</translation>
    </message>
    <message>
        <source>Micro-break</source>
        <translation>Micropausa</translation>
    </message>
    <message>
        <source>Posture break</source>
        <translation>Pausa postural</translation>
    </message>
</context>
<context>
    <name>Breaks</name>
    <message>
        <source>strict mode allows no postponing</source>
        <translation>el modo estricto no permite posponer</translation>
    </message>
    <message>
        <source>this break was already postponed {n} times in a row</source>
        <translation>esta pausa ya se pospuso {n} veces seguidas</translation>
    </message>
    <message>
        <source>strict mode allows no skipping</source>
        <translation>el modo estricto no permite omitir</translation>
    </message>
    <message>
        <source>strict mode allows no ending a break early</source>
        <translation>el modo estricto no permite terminar una pausa antes</translation>
    </message>
    <message>
        <source>a pause must end in the future</source>
        <translation>una pausa de los recordatorios debe terminar en el futuro</translation>
    </message>
    <message>
        <source>no break is due now</source>
        <translation>ahora no hay ninguna pausa pendiente</translation>
    </message>
    <message>
        <source>no break is running now</source>
        <translation>ahora no hay ninguna pausa en curso</translation>
    </message>
</context>
<context>
    <name>CLI</name>
    <message>
        <source>NeckCare Desktop: posture-break reminders and ice/heat timers in the system tray.

Run without a command to start NeckCare (or to show its status window when it is
already running). The commands below talk to the running NeckCare; ice, heat and
break start it first if needed. NeckCare gives reminders and timers; it does not
diagnose.
</source>
        <translation>NeckCare Desktop: recordatorios de pausas posturales y temporizadores de hielo y calor
en la bandeja del sistema.

Sin una orden, inicia NeckCare (o muestra su ventana de estado si ya está en marcha).
Las órdenes de abajo hablan con el NeckCare en marcha; ice, heat y break lo inician
antes si hace falta. NeckCare da recordatorios y temporizadores; no diagnostica.
</translation>
    </message>
    <message>
        <source>start NeckCare, or show its status window if it runs</source>
        <translation>iniciar NeckCare, o mostrar su ventana de estado si ya está en marcha</translation>
    </message>
    <message>
        <source>start an ice timer ({low}–{high} min; ice is capped at {high}); --anyway starts it while the skin still rests after the last round</source>
        <translation>iniciar un temporizador de hielo ({low}–{high} min; el hielo tiene un máximo de {high}); --anyway lo inicia aunque la piel aún descanse de la última sesión</translation>
    </message>
    <message>
        <source>start a heat timer ({low}–{high} min)</source>
        <translation>iniciar un temporizador de calor ({low}–{high} min)</translation>
    </message>
    <message>
        <source>stop the running ice or heat timer (records the actual time)</source>
        <translation>detener el temporizador de hielo o calor en marcha (registra el tiempo real)</translation>
    </message>
    <message>
        <source>take a posture break now</source>
        <translation>hacer una pausa postural ahora</translation>
    </message>
    <message>
        <source>pause break reminders for minutes, or until tomorrow morning (ice and heat timers keep working)</source>
        <translation>pausar los recordatorios de pausas unos minutos, o hasta mañana por la mañana (los temporizadores de hielo y calor siguen funcionando)</translation>
    </message>
    <message>
        <source>resume break reminders</source>
        <translation>reanudar los recordatorios de pausas</translation>
    </message>
    <message>
        <source>print the live status</source>
        <translation>mostrar el estado actual</translation>
    </message>
    <message>
        <source>open the history window (or print a summary when NeckCare is not running); --csv exports every event to FILE</source>
        <translation>abrir la ventana del historial (o mostrar un resumen si NeckCare no está en marcha); --csv exporta todos los eventos a FILE</translation>
    </message>
    <message>
        <source>how many days to show ({low}–{high}, default 7)</source>
        <translation>cuántos días mostrar ({low}–{high}, por defecto 7)</translation>
    </message>
    <message>
        <source>quit NeckCare (while ice or heat runs, only with --force: no alert would tell you to take it off)</source>
        <translation>salir de NeckCare (con hielo o calor en marcha, solo con --force: ninguna alerta te avisaría de retirarlo)</translation>
    </message>
    <message>
        <source>start NeckCare when you log in (or not), or say whether it does</source>
        <translation>iniciar NeckCare al entrar en la sesión (o no), o decir si lo hace</translation>
    </message>
    <message>
        <source>add NeckCare to your application launcher</source>
        <translation>añadir NeckCare al menú de aplicaciones</translation>
    </message>
    <message>
        <source>done</source>
        <translation>hecho</translation>
    </message>
    <message>
        <source>NeckCare refused or is not running</source>
        <translation>NeckCare lo rechazó o no está en marcha</translation>
    </message>
    <message>
        <source>bad arguments</source>
        <translation>argumentos incorrectos</translation>
    </message>
    <message>
        <source>the output was cut off (its reader left, as with | head)</source>
        <translation>la salida se cortó (quien la leía se fue, como con | head)</translation>
    </message>
    <message>
        <source>compress every duration N times, for demos and tests (60: one minute lasts one second)</source>
        <translation>comprimir cada duración N veces, para demostraciones y pruebas (60: un minuto dura un segundo)</translation>
    </message>
    <message>
        <source>commands:</source>
        <translation>órdenes:</translation>
    </message>
    <message>
        <source>exit status:</source>
        <translation>código de salida:</translation>
    </message>
    <message>
        <source>environment:</source>
        <translation>entorno:</translation>
    </message>
    <message>
        <source>Files live in the platform&apos;s config and data folders; see the README.</source>
        <translation>Los archivos están en las carpetas de configuración y de datos del sistema; consulta el README.</translation>
    </message>
    <message>
        <source>{option} takes a whole number from {low} to {high}, got {value}</source>
        <translation>{option} admite un número entero de {low} a {high}, no {value}</translation>
    </message>
    <message>
        <source>{some} or {last}</source>
        <translation>{some} o {last}</translation>
    </message>
    <message>
        <source>{command} takes {choices}, got {value}</source>
        <translation>{command} admite {choices}, no {value}</translation>
    </message>
    <message>
        <source>run in the foreground instead of in the background</source>
        <translation>ejecutarse en primer plano en vez de en segundo plano</translation>
    </message>
    <message>
        <source>NeckCare is not running</source>
        <translation>NeckCare no está en marcha</translation>
    </message>
    <message>
        <source>ice is capped at {high} minutes a round to protect the skin; choose {low}–{high}, got {value}</source>
        <translation>el hielo tiene un máximo de {high} minutos por sesión para proteger la piel; elige {low}–{high}, no {value}</translation>
    </message>
    <message>
        <source>print the version and exit</source>
        <translation>mostrar la versión y salir</translation>
    </message>
    <message>
        <source>log everything to the terminal</source>
        <translation>registrar todo también en el terminal</translation>
    </message>
    <message>
        <source>start an ice timer (capped at {high} min)</source>
        <translation>iniciar un temporizador de hielo (máximo {high} min)</translation>
    </message>
    <message>
        <source>length of this round, {low}–{high} (default: settings)</source>
        <translation>duración de esta sesión, {low}–{high} (por defecto: la configuración)</translation>
    </message>
    <message>
        <source>start even though the skin is still resting after the last ice round (what NeckCare&apos;s menu asks you to confirm)</source>
        <translation>iniciarlo aunque la piel aún descanse de la última sesión de hielo (lo que el menú de NeckCare te pide confirmar)</translation>
    </message>
    <message>
        <source>one session of 10 minutes on, 10 off, 10 on (an alert at each switch)</source>
        <translation>una sesión de 10 minutos con hielo, 10 sin y 10 con (un aviso en cada cambio)</translation>
    </message>
    <message>
        <source>start a heat timer</source>
        <translation>iniciar un temporizador de calor</translation>
    </message>
    <message>
        <source>length of this session, {low}–{high} (default: settings)</source>
        <translation>duración de esta sesión, {low}–{high} (por defecto: la configuración)</translation>
    </message>
    <message>
        <source>stop the running ice or heat timer</source>
        <translation>detener el temporizador de hielo o calor en marcha</translation>
    </message>
    <message>
        <source>stop ice because your skin went numb (recorded as why)</source>
        <translation>detener el hielo porque se te entumeció la piel (se registra como motivo)</translation>
    </message>
    <message>
        <source>pause break reminders</source>
        <translation>pausar los recordatorios de pausas</translation>
    </message>
    <message>
        <source>minutes, or until tomorrow morning at the start of working hours</source>
        <translation>minutos, o hasta mañana por la mañana al comienzo del horario laboral</translation>
    </message>
    <message>
        <source>machine-readable output</source>
        <translation>salida para programas (JSON)</translation>
    </message>
    <message>
        <source>open the history window or export it</source>
        <translation>abrir la ventana del historial o exportarlo</translation>
    </message>
    <message>
        <source>export every event to FILE as CSV (UTF-8)</source>
        <translation>exportar todos los eventos a FILE como CSV (UTF-8)</translation>
    </message>
    <message>
        <source>write a PDF report of the last days (default 30) to take to a physiotherapist or doctor</source>
        <translation>crear un informe PDF de los últimos días (por defecto 30) para llevar a un fisioterapeuta o a un médico</translation>
    </message>
    <message>
        <source>write a report for your clinician</source>
        <translation>crear un informe para tu fisioterapeuta o médico</translation>
    </message>
    <message>
        <source>the PDF file to write</source>
        <translation>el archivo PDF que se creará</translation>
    </message>
    <message>
        <source>how many days it covers ({low}–{high}, default 30)</source>
        <translation>cuántos días abarca ({low}–{high}, por defecto 30)</translation>
    </message>
    <message>
        <source>quit NeckCare</source>
        <translation>salir de NeckCare</translation>
    </message>
    <message>
        <source>quit even while ice or heat runs (no alert will tell you to take it off)</source>
        <translation>salir aunque haya hielo o calor en marcha (ninguna alerta te avisará de retirarlo)</translation>
    </message>
    <message>
        <source>start NeckCare at login, or not</source>
        <translation>iniciar NeckCare al entrar en la sesión, o no</translation>
    </message>
    <message>
        <source>add NeckCare to the application launcher</source>
        <translation>añadir NeckCare al menú de aplicaciones</translation>
    </message>
    <message>
        <source>NeckCare is busy; retrying...</source>
        <translation>NeckCare está ocupado; reintentando...</translation>
    </message>
    <message>
        <source>NeckCare refused the command.</source>
        <translation>NeckCare rechazó la orden.</translation>
    </message>
    <message>
        <source>could not export history to {path}: {reason}</source>
        <translation>no se pudo exportar el historial a {path}: {reason}</translation>
    </message>
    <message>
        <source>Exported {count} events to {path}</source>
        <translation>Exportados {count} eventos a {path}</translation>
    </message>
    <message>
        <source>could not read history: {reason}</source>
        <translation>no se pudo leer el historial: {reason}</translation>
    </message>
    <message>
        <source>Last day (NeckCare is not running):</source>
        <translation>Último día (NeckCare no está en marcha):</translation>
    </message>
    <message>
        <source>Last {days} days (NeckCare is not running):</source>
        <translation>Últimos {days} días (NeckCare no está en marcha):</translation>
    </message>
    <message>
        <source>spasms: none logged</source>
        <translation>espasmos: ninguno registrado</translation>
    </message>
    <message>
        <source>spasms: {n} (worst pain {pain} of 10)</source>
        <translation>espasmos: {n} (peor dolor {pain} de 10)</translation>
    </message>
    <message>
        <source>breaks taken: {n} ({completed} completed, {natural} while away)</source>
        <translation>pausas hechas: {n} ({completed} completadas, {natural} en tu ausencia)</translation>
    </message>
    <message>
        <source>breaks postponed: {n}</source>
        <translation>pausas pospuestas: {n}</translation>
    </message>
    <message>
        <source>breaks skipped: {n}</source>
        <translation>pausas omitidas: {n}</translation>
    </message>
    <message>
        <source>ice: {n} min</source>
        <translation>hielo: {n} min</translation>
    </message>
    <message>
        <source>heat: {n} min</source>
        <translation>calor: {n} min</translation>
    </message>
    <message>
        <source>could not change autostart ({where}): {reason}</source>
        <translation>no se pudo cambiar el inicio automático ({where}): {reason}</translation>
    </message>
    <message>
        <source>NeckCare starts at login ({where}).</source>
        <translation>NeckCare se inicia al entrar en la sesión ({where}).</translation>
    </message>
    <message>
        <source>NeckCare does not start at login ({where}).</source>
        <translation>NeckCare no se inicia al entrar en la sesión ({where}).</translation>
    </message>
    <message>
        <source>Break started.</source>
        <translation>Pausa iniciada.</translation>
    </message>
    <message>
        <source>Timer stopped.</source>
        <translation>Temporizador detenido.</translation>
    </message>
    <message>
        <source>Reminders paused until {when}.</source>
        <translation>Recordatorios en pausa hasta {when}.</translation>
    </message>
    <message>
        <source>Reminders resumed.</source>
        <translation>Recordatorios reanudados.</translation>
    </message>
    <message>
        <source>NeckCare quit.</source>
        <translation>NeckCare se ha cerrado.</translation>
    </message>
    <message>
        <source>could not install the launcher entry: {reason}</source>
        <translation>no se pudo instalar la entrada del menú de aplicaciones: {reason}</translation>
    </message>
    <message>
        <source>Installed {entry} and {count} icons.</source>
        <translation>Instalados {entry} y {count} iconos.</translation>
    </message>
    <message>
        <source>NeckCare is running in your system tray; `neckcare quit` to stop it</source>
        <translation>NeckCare está en marcha en la bandeja del sistema; `neckcare quit` para cerrarlo</translation>
    </message>
    <message>
        <source>NeckCare could not start (exit status {code}); see {log}</source>
        <translation>NeckCare no pudo iniciarse (código de salida {code}); consulta {log}</translation>
    </message>
    <message>
        <source>NeckCare did not answer within {seconds} s; see {log}</source>
        <translation>NeckCare no respondió en {seconds} s; consulta {log}</translation>
    </message>
</context>
<context>
    <name>CallDetection</name>
    <message>
        <source>the pactl program (package pulseaudio-utils) is not installed</source>
        <translation>el programa pactl (paquete pulseaudio-utils) no está instalado</translation>
    </message>
    <message>
        <source>no PulseAudio or PipeWire server was found</source>
        <translation>no se encontró ningún servidor PulseAudio ni PipeWire</translation>
    </message>
    <message>
        <source>the list of processes (/proc) cannot be read</source>
        <translation>no se puede leer la lista de procesos (/proc)</translation>
    </message>
    <message>
        <source>Windows does not record microphone and camera use here</source>
        <translation>Windows no registra aquí el uso del micrófono y la cámara</translation>
    </message>
    <message>
        <source>CoreAudio cannot be loaded</source>
        <translation>no se puede cargar CoreAudio</translation>
    </message>
    <message>
        <source>CoreMediaIO cannot be loaded</source>
        <translation>no se puede cargar CoreMediaIO</translation>
    </message>
    <message>
        <source>this system is not supported</source>
        <translation>este sistema no es compatible</translation>
    </message>
    <message>
        <source>Call detection is not available: {reason}.</source>
        <translation>La detección de llamadas no está disponible: {reason}.</translation>
    </message>
    <message>
        <source>Camera use cannot be detected: {reason}.</source>
        <translation>No se puede detectar el uso de la cámara: {reason}.</translation>
    </message>
    <message>
        <source>Microphone use cannot be detected: {reason}.</source>
        <translation>No se puede detectar el uso del micrófono: {reason}.</translation>
    </message>
</context>
<context>
    <name>CommandHandlers</name>
    <message>
        <source>--intermittent is always 10 minutes on, 10 off, 10 on, so it takes no --minutes. Use one or the other: neckcare ice --intermittent, or neckcare ice --minutes {minutes}</source>
        <translation>--intermittent son siempre 10 minutos con hielo, 10 sin y 10 con, así que no admite --minutes. Usa una opción u otra: neckcare ice --intermittent, o neckcare ice --minutes {minutes}</translation>
    </message>
    <message>
        <source>Your skin is still resting after the last ice round: ice again in {minutes} min. To start another round anyway: {command}</source>
        <translation>Tu piel todavía está descansando después de la última sesión de hielo: hielo de nuevo en {minutes} min. Para empezar otra sesión de todos modos: {command}</translation>
    </message>
    <message>
        <source>A posture break is already running: {minutes} min left.</source>
        <translation>Ya hay una pausa postural en marcha: quedan {minutes} min.</translation>
    </message>
    <message>
        <source>A micro-break is already running: {seconds} s left.</source>
        <translation>Ya hay una micropausa en marcha: quedan {seconds} s.</translation>
    </message>
    <message>
        <source>Break reminders are not paused; nothing to resume.</source>
        <translation>Los recordatorios de pausas no están en pausa; no hay nada que reanudar.</translation>
    </message>
    <message>
        <source>{weekday} {time}</source>
        <translation>{weekday} {time}</translation>
    </message>
    <message>
        <source>Nothing to resume: it is outside your working hours; break reminders start again at {when}.</source>
        <translation>No hay nada que reanudar: estás fuera de tu horario laboral; los recordatorios de pausas vuelven a partir de {when}.</translation>
    </message>
    <message>
        <source>History opened on the last {days} days.</source>
        <translation>Historial abierto con los últimos {days} días.</translation>
    </message>
    <message>
        <source>History opened on the last {days} days (the nearest it shows to {asked}).</source>
        <translation>Historial abierto con los últimos {days} días (lo más cercano que muestra a {asked}).</translation>
    </message>
    <message>
        <source>To quit anyway: neckcare quit --force</source>
        <translation>Para salir de todos modos: neckcare quit --force</translation>
    </message>
    <message>
        <source>NeckCare does not know the command {command}.</source>
        <translation>NeckCare no conoce la orden {command}.</translation>
    </message>
    <message>
        <source>No break can be changed now: {reason}.</source>
        <translation>Ahora no se puede cambiar ninguna pausa: {reason}.</translation>
    </message>
</context>
<context>
    <name>Dates</name>
    <message>
        <source>{day} {month} {year}</source>
        <translation>{day} {month} {year}</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>lun</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>mar</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>mié</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>jue</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>vie</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>sáb</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>dom</translation>
    </message>
    <message>
        <source>Jan</source>
        <translation>ene</translation>
    </message>
    <message>
        <source>Feb</source>
        <translation>feb</translation>
    </message>
    <message>
        <source>Mar</source>
        <translation>mar</translation>
    </message>
    <message>
        <source>Apr</source>
        <translation>abr</translation>
    </message>
    <message>
        <source>May</source>
        <translation>may</translation>
    </message>
    <message>
        <source>Jun</source>
        <translation>jun</translation>
    </message>
    <message>
        <source>Jul</source>
        <translation>jul</translation>
    </message>
    <message>
        <source>Aug</source>
        <translation>ago</translation>
    </message>
    <message>
        <source>Sep</source>
        <translation>sept</translation>
    </message>
    <message>
        <source>Oct</source>
        <translation>oct</translation>
    </message>
    <message>
        <source>Nov</source>
        <translation>nov</translation>
    </message>
    <message>
        <source>Dec</source>
        <translation>dic</translation>
    </message>
</context>
<context>
    <name>DoNotDisturb</name>
    <message>
        <source>fullscreen window: {title}</source>
        <translation>ventana a pantalla completa: {title}</translation>
    </message>
    <message>
        <source>fullscreen window</source>
        <translation>ventana a pantalla completa</translation>
    </message>
    <message>
        <source>notifications inhibited</source>
        <translation>notificaciones bloqueadas</translation>
    </message>
    <message>
        <source>notifications paused (dunst)</source>
        <translation>notificaciones en pausa (dunst)</translation>
    </message>
    <message>
        <source>notifications off (do not disturb)</source>
        <translation>notificaciones desactivadas (no molestar)</translation>
    </message>
    <message>
        <source>fullscreen application (busy)</source>
        <translation>aplicación a pantalla completa (ocupado)</translation>
    </message>
    <message>
        <source>fullscreen Direct3D application</source>
        <translation>aplicación Direct3D a pantalla completa</translation>
    </message>
    <message>
        <source>presentation mode</source>
        <translation>modo presentación</translation>
    </message>
    <message>
        <source>quiet time</source>
        <translation>horas de silencio</translation>
    </message>
</context>
<context>
    <name>Engine</name>
    <message>
        <source>Drink a glass of water. Too little water is one of the things that can set off neck spasms.</source>
        <translation>Bebe un vaso de agua. Beber poca agua es una de las cosas que pueden desencadenar espasmos en el cuello.</translation>
    </message>
    <message>
        <source>pause must be one of {choices}, got {value}</source>
        <translation>la pausa debe ser uno de estos valores: {choices}; se recibió {value}</translation>
    </message>
    <message>
        <source>Ice timer resumed</source>
        <translation>Temporizador de hielo reanudado</translation>
    </message>
    <message>
        <source>Heat timer resumed</source>
        <translation>Temporizador de calor reanudado</translation>
    </message>
    <message>
        <source>NeckCare restarted while ice was on: {minutes} min left.</source>
        <translation>NeckCare se reinició mientras tenías hielo puesto: faltan {minutes} min.</translation>
    </message>
    <message>
        <source>NeckCare restarted during your ice session: ice is on for {minutes} more min, then the session is done.</source>
        <translation>NeckCare se reinició durante tu sesión de hielo: el hielo sigue puesto {minutes} min más y luego la sesión termina.</translation>
    </message>
    <message>
        <source>NeckCare restarted during your ice session: ice is on for {minutes} more min, then off for {next} min.</source>
        <translation>NeckCare se reinició durante tu sesión de hielo: el hielo sigue puesto {minutes} min más y luego se retira durante {next} min.</translation>
    </message>
    <message>
        <source>NeckCare restarted during your ice session: ice is off for {minutes} more min, then back on for {next} min.</source>
        <translation>NeckCare se reinició durante tu sesión de hielo: el hielo sigue retirado {minutes} min más y luego se vuelve a poner durante {next} min.</translation>
    </message>
    <message>
        <source>Ice session resumed</source>
        <translation>Sesión de hielo reanudada</translation>
    </message>
    <message>
        <source>NeckCare restarted while heat was on: {minutes} min left.</source>
        <translation>NeckCare se reinició mientras tenías calor puesto: faltan {minutes} min.</translation>
    </message>
    <message>
        <source>Time for some water</source>
        <translation>Es hora de beber agua</translation>
    </message>
    <message>
        <source>History not saved</source>
        <translation>Historial no guardado</translation>
    </message>
    <message>
        <source>History rows only in memory</source>
        <translation>Filas del historial solo en memoria</translation>
    </message>
    <message>
        <source>NeckCare cannot keep its unsaved history rows on disk either ({reason}); they are kept while it runs and lost if it quits before the history file takes them.</source>
        <translation>NeckCare tampoco puede guardar en disco las filas del historial pendientes ({reason}); se conservan mientras se ejecuta y se pierden si se cierra antes de que el archivo de historial las acepte.</translation>
    </message>
    <message>
        <source>Ice: {minutes} min left</source>
        <translation>Hielo: faltan {minutes} min</translation>
    </message>
    <message>
        <source>Heat: {minutes} min left</source>
        <translation>Calor: faltan {minutes} min</translation>
    </message>
    <message>
        <source>Ice again in {minutes} min</source>
        <translation>Hielo de nuevo en {minutes} min</translation>
    </message>
    <message>
        <source>{weekday} {time}</source>
        <translation>{weekday} {time}</translation>
    </message>
    <message>
        <source>Ice on — off in {minutes} min</source>
        <translation>Hielo puesto — se retira en {minutes} min</translation>
    </message>
    <message>
        <source>Ice off — back on in {minutes} min</source>
        <translation>Hielo retirado — se vuelve a poner en {minutes} min</translation>
    </message>
    <message>
        <source>Outside working hours: reminders from {when}</source>
        <translation>Fuera del horario laboral: recordatorios desde {when}</translation>
    </message>
    <message>
        <source>tomorrow {time}</source>
        <translation>mañana a las {time}</translation>
    </message>
    <message>
        <source>{weekday} {day} {month} {time}</source>
        <translation>{weekday} {day} {month} {time}</translation>
    </message>
    <message>
        <source>Reminders paused until {when}</source>
        <translation>Recordatorios en pausa hasta {when}</translation>
    </message>
    <message>
        <source>Micro-break: {seconds} s left</source>
        <translation>Micropausa: faltan {seconds} s</translation>
    </message>
    <message>
        <source>Posture break: {minutes} min left</source>
        <translation>Pausa postural: faltan {minutes} min</translation>
    </message>
    <message>
        <source>Posture break due</source>
        <translation>Pausa postural pendiente</translation>
    </message>
    <message>
        <source>Micro-break due</source>
        <translation>Micropausa pendiente</translation>
    </message>
    <message>
        <source>Away: breaks count while you are away</source>
        <translation>Ausente: las pausas cuentan mientras no estás</translation>
    </message>
    <message>
        <source>In a call: breaks wait</source>
        <translation>En una llamada: las pausas esperan</translation>
    </message>
    <message>
        <source>Break waiting: {reason}</source>
        <translation>Pausa en espera: {reason}</translation>
    </message>
    <message>
        <source>Next break in {minutes} min</source>
        <translation>Próxima pausa en {minutes} min</translation>
    </message>
    <message>
        <source>Break reminders are off</source>
        <translation>Los recordatorios de pausas están desactivados</translation>
    </message>
    <message>
        <source>Time scale ×{factor} (test mode)</source>
        <translation>Escala de tiempo ×{factor} (modo de prueba)</translation>
    </message>
    <message>
        <source>Another program is using NeckCare&apos;s history file, so new history rows cannot be saved into it right now.</source>
        <translation>Otro programa está usando el archivo de historial de NeckCare, así que ahora mismo no se pueden guardar en él filas nuevas.</translation>
    </message>
    <message>
        <source>The disk with NeckCare&apos;s history is full, so new history rows cannot be saved into it right now. Free some space.</source>
        <translation>El disco del historial de NeckCare está lleno, así que ahora mismo no se pueden guardar en él filas nuevas. Libera algo de espacio.</translation>
    </message>
    <message>
        <source>NeckCare&apos;s history file or its disk is read-only right now, so new history rows cannot be saved into it.</source>
        <translation>El archivo de historial de NeckCare o su disco es ahora mismo de solo lectura, así que no se pueden guardar en él filas nuevas.</translation>
    </message>
    <message>
        <source>The disk reported an error reading or writing NeckCare&apos;s history file, so new history rows cannot be saved into it right now.</source>
        <translation>El disco informó de un error al leer o escribir el archivo de historial de NeckCare, así que ahora mismo no se pueden guardar en él filas nuevas.</translation>
    </message>
    <message>
        <source>NeckCare&apos;s history file is damaged, so new history rows cannot be saved into it. Restart NeckCare: it then keeps the damaged file aside and starts a new one.</source>
        <translation>El archivo de historial de NeckCare está dañado, así que no se pueden guardar en él filas nuevas. Reinicia NeckCare: entonces apartará el archivo dañado y empezará uno nuevo.</translation>
    </message>
    <message>
        <source>NeckCare cannot save new history rows into its history file right now.</source>
        <translation>NeckCare no puede guardar ahora mismo filas nuevas en su archivo de historial.</translation>
    </message>
    <message>
        <source>Timers and reminders keep working, and NeckCare will try again every few seconds. The rows are kept in {journal} and written into the history as soon as it takes them again, also after a restart.</source>
        <translation>Los temporizadores y recordatorios siguen funcionando, y NeckCare lo volverá a intentar cada pocos segundos. Las filas se guardan en {journal} y se escriben en el historial en cuanto vuelva a aceptarlas, también tras un reinicio.</translation>
    </message>
    <message>
        <source>Timers and reminders keep working, and NeckCare will try again every few seconds. The rows cannot be kept on disk either: they are kept while NeckCare runs and written into the history as soon as it takes them again, but lost if NeckCare quits before that.</source>
        <translation>Los temporizadores y recordatorios siguen funcionando, y NeckCare lo volverá a intentar cada pocos segundos. Las filas tampoco se pueden guardar en disco: se conservan mientras NeckCare se ejecuta y se escriben en el historial en cuanto vuelva a aceptarlas, pero se pierden si NeckCare se cierra antes.</translation>
    </message>
    <message>
        <source>Your call ended: time for the break you held</source>
        <translation>Tu llamada terminó: es hora de la pausa que quedó en espera</translation>
    </message>
    <message>
        <source>in a call</source>
        <translation>en una llamada</translation>
    </message>
</context>
<context>
    <name>EventTableModel</name>
    <message>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Evento</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Detalles</translation>
    </message>
    <message>
        <source>Micro-break due</source>
        <translation>Micropausa pendiente</translation>
    </message>
    <message>
        <source>Posture break due</source>
        <translation>Pausa postural pendiente</translation>
    </message>
    <message>
        <source>Break due</source>
        <translation>Pausa pendiente</translation>
    </message>
    <message>
        <source>Micro-break started</source>
        <translation>Micropausa empezada</translation>
    </message>
    <message>
        <source>Posture break started</source>
        <translation>Pausa postural empezada</translation>
    </message>
    <message>
        <source>Break started</source>
        <translation>Pausa empezada</translation>
    </message>
    <message>
        <source>Micro-break completed</source>
        <translation>Micropausa completada</translation>
    </message>
    <message>
        <source>Posture break completed</source>
        <translation>Pausa postural completada</translation>
    </message>
    <message>
        <source>Break completed</source>
        <translation>Pausa completada</translation>
    </message>
    <message>
        <source>Micro-break postponed</source>
        <translation>Micropausa pospuesta</translation>
    </message>
    <message>
        <source>Posture break postponed</source>
        <translation>Pausa postural pospuesta</translation>
    </message>
    <message>
        <source>Break postponed</source>
        <translation>Pausa pospuesta</translation>
    </message>
    <message>
        <source>Micro-break skipped</source>
        <translation>Micropausa omitida</translation>
    </message>
    <message>
        <source>Posture break skipped</source>
        <translation>Pausa postural omitida</translation>
    </message>
    <message>
        <source>Break skipped</source>
        <translation>Pausa omitida</translation>
    </message>
    <message>
        <source>Micro-break taken while away</source>
        <translation>Micropausa hecha en tu ausencia</translation>
    </message>
    <message>
        <source>Posture break taken while away</source>
        <translation>Pausa postural hecha en tu ausencia</translation>
    </message>
    <message>
        <source>Break taken while away</source>
        <translation>Pausa hecha en tu ausencia</translation>
    </message>
    <message>
        <source>Micro-break interrupted</source>
        <translation>Micropausa interrumpida</translation>
    </message>
    <message>
        <source>Posture break interrupted</source>
        <translation>Pausa postural interrumpida</translation>
    </message>
    <message>
        <source>Break interrupted</source>
        <translation>Pausa interrumpida</translation>
    </message>
    <message>
        <source>Ice left on past its end</source>
        <translation>Hielo puesto más de lo previsto</translation>
    </message>
    <message>
        <source>Heat left on past its end</source>
        <translation>Calor puesto más de lo previsto</translation>
    </message>
    <message>
        <source>Therapy left on past its end</source>
        <translation>Terapia más larga de lo previsto</translation>
    </message>
    <message>
        <source>Reminder to drink water</source>
        <translation>Recordatorio para beber agua</translation>
    </message>
    <message>
        <source>Ice started</source>
        <translation>Hielo iniciado</translation>
    </message>
    <message>
        <source>Heat started</source>
        <translation>Calor iniciado</translation>
    </message>
    <message>
        <source>Therapy started</source>
        <translation>Terapia iniciada</translation>
    </message>
    <message>
        <source>Ice completed</source>
        <translation>Hielo completado</translation>
    </message>
    <message>
        <source>Heat completed</source>
        <translation>Calor completado</translation>
    </message>
    <message>
        <source>Therapy completed</source>
        <translation>Terapia completada</translation>
    </message>
    <message>
        <source>Ice stopped early</source>
        <translation>Hielo detenido antes de tiempo</translation>
    </message>
    <message>
        <source>Heat stopped early</source>
        <translation>Calor detenido antes de tiempo</translation>
    </message>
    <message>
        <source>Therapy stopped early</source>
        <translation>Terapia detenida antes de tiempo</translation>
    </message>
    <message>
        <source>Ice cancelled (stopped within 2 min)</source>
        <translation>Hielo cancelado (detenido en los primeros 2 min)</translation>
    </message>
    <message>
        <source>Heat cancelled (stopped within 2 min)</source>
        <translation>Calor cancelado (detenido en los primeros 2 min)</translation>
    </message>
    <message>
        <source>Therapy cancelled</source>
        <translation>Terapia cancelada</translation>
    </message>
    <message>
        <source>Therapy switched</source>
        <translation>Cambio en la terapia</translation>
    </message>
    <message>
        <source>Lost ice alert raised late</source>
        <translation>Aviso de hielo perdido, dado con retraso</translation>
    </message>
    <message>
        <source>Lost heat alert raised late</source>
        <translation>Aviso de calor perdido, dado con retraso</translation>
    </message>
    <message>
        <source>Lost break reminder planned again</source>
        <translation>Recordatorio de pausa perdido, programado de nuevo</translation>
    </message>
    <message>
        <source>Neck spasm started</source>
        <translation>Inicio de un espasmo en el cuello</translation>
    </message>
    <message>
        <source>Spasm pain updated</source>
        <translation>Dolor del espasmo actualizado</translation>
    </message>
    <message>
        <source>Spasm resolved</source>
        <translation>Espasmo resuelto</translation>
    </message>
    <message>
        <source>NeckCare started</source>
        <translation>NeckCare iniciado</translation>
    </message>
    <message>
        <source>NeckCare quit</source>
        <translation>NeckCare cerrado</translation>
    </message>
    <message>
        <source>Exercise done</source>
        <translation>Ejercicio hecho</translation>
    </message>
    <message>
        <source>Exercise skipped</source>
        <translation>Ejercicio omitido</translation>
    </message>
    <message>
        <source>Exercise cut short</source>
        <translation>Ejercicio interrumpido</translation>
    </message>
    <message>
        <source>{event}: {exercise}</source>
        <translation>{event}: {exercise}</translation>
    </message>
    <message>
        <source>Micro-break completed (shortened)</source>
        <translation>Micropausa completada (acortada)</translation>
    </message>
    <message>
        <source>Posture break completed (shortened)</source>
        <translation>Pausa postural completada (acortada)</translation>
    </message>
    <message>
        <source>Break completed (shortened)</source>
        <translation>Pausa completada (acortada)</translation>
    </message>
    <message>
        <source>Ice started ({parts})</source>
        <translation>Hielo iniciado ({parts})</translation>
    </message>
    <message>
        <source>Ice taken off</source>
        <translation>Hielo retirado</translation>
    </message>
    <message>
        <source>Ice put back on</source>
        <translation>Hielo puesto de nuevo</translation>
    </message>
    <message>
        <source>Ice stopped early (skin went numb)</source>
        <translation>Hielo detenido antes de tiempo (piel entumecida)</translation>
    </message>
    <message>
        <source>{length} on</source>
        <translation>{length} con</translation>
    </message>
    <message>
        <source>{length} off</source>
        <translation>{length} sin</translation>
    </message>
    <message>
        <source>ended early</source>
        <translation>terminada antes</translation>
    </message>
    <message>
        <source>from warning</source>
        <translation>desde el aviso</translation>
    </message>
    <message>
        <source>asleep</source>
        <translation>equipo en suspensión</translation>
    </message>
    <message>
        <source>clock moved ahead</source>
        <translation>el reloj se adelantó</translation>
    </message>
    <message>
        <source>NeckCare stopped unexpectedly during the break</source>
        <translation>NeckCare se detuvo inesperadamente durante la pausa</translation>
    </message>
    <message>
        <source>NeckCare quit during the break</source>
        <translation>NeckCare se cerró durante la pausa</translation>
    </message>
    <message>
        <source>postpone {n}</source>
        <translation>aplazamiento n.º {n}</translation>
    </message>
    <message>
        <source>NeckCare was not running at the planned end {when}</source>
        <translation>NeckCare no estaba en marcha al final previsto, {when}</translation>
    </message>
    <message>
        <source>the alert came late: the computer was asleep or the clock moved at the planned end {when}</source>
        <translation>el aviso llegó tarde: el equipo estaba en suspensión o el reloj cambió al final previsto, {when}</translation>
    </message>
    <message>
        <source>ice taken off</source>
        <translation>hielo retirado</translation>
    </message>
    <message>
        <source>ice put back on</source>
        <translation>hielo puesto de nuevo</translation>
    </message>
    <message>
        <source>skin went numb</source>
        <translation>piel entumecida</translation>
    </message>
    <message>
        <source>pain {pain} of 10</source>
        <translation>dolor {pain} de 10</translation>
    </message>
    <message>
        <source>{duration} planned</source>
        <translation>{duration} previstos</translation>
    </message>
    <message>
        <source>{duration} taken</source>
        <translation>{duration} reales</translation>
    </message>
    <message>
        <source>{s} s</source>
        <translation>{s} s</translation>
    </message>
    <message>
        <source>{m} min</source>
        <translation>{m} min</translation>
    </message>
    <message>
        <source>{m} min {s} s</source>
        <translation>{m} min {s} s</translation>
    </message>
</context>
<context>
    <name>EventsPage</name>
    <message>
        <source>Show events of kind</source>
        <translation>Mostrar eventos de tipo</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Todos</translation>
    </message>
    <message>
        <source>Breaks</source>
        <translation>Pausas</translation>
    </message>
    <message>
        <source>Ice and heat</source>
        <translation>Hielo y calor</translation>
    </message>
    <message>
        <source>Spasms</source>
        <translation>Espasmos</translation>
    </message>
    <message>
        <source>Exercises</source>
        <translation>Ejercicios</translation>
    </message>
    <message>
        <source>App</source>
        <translation>Aplicación</translation>
    </message>
    <message>
        <source>&amp;Show:</source>
        <translation>&amp;Mostrar:</translation>
    </message>
    <message>
        <source>Events, newest first</source>
        <translation>Eventos, los más recientes primero</translation>
    </message>
    <message>
        <source>Nothing recorded yet.</source>
        <translation>Todavía no hay nada registrado.</translation>
    </message>
    <message>
        <source>No events</source>
        <translation>Sin eventos</translation>
    </message>
</context>
<context>
    <name>ExerciseFiles</name>
    <message>
        <source>Until it is fixed, breaks use the built-in exercises. NeckCare leaves your file as it is; it reads it again when you open Settings or start NeckCare.</source>
        <translation>Hasta que se corrija, las pausas usan los ejercicios incluidos. NeckCare deja tu archivo como está; lo vuelve a leer cuando abres la Configuración o inicias NeckCare.</translation>
    </message>
    <message>
        <source>Nothing was changed: NeckCare does not write over {file} while it has a problem, so that nothing in it is lost. Fix it in a text editor, then open Settings again.</source>
        <translation>No se cambió nada: NeckCare no sobrescribe {file} mientras tenga un problema, para que no se pierda nada de lo que contiene. Corrígelo en un editor de texto y vuelve a abrir la Configuración.</translation>
    </message>
    <message>
        <source>Could not save {path}: {reason}</source>
        <translation>No se pudo guardar {path}: {reason}</translation>
    </message>
    <message>
        <source>Exercises imported from {file}: %n.</source>
        <translation>Ejercicios importados de {file}: %n.</translation>
    </message>
    <message>
        <source>Could not read {path}: {reason}</source>
        <translation>No se pudo leer {path}: {reason}</translation>
    </message>
</context>
<context>
    <name>Exercises</name>
    <message>
        <source>Exercise “{name}”: {problem}</source>
        <translation>Ejercicio “{name}”: {problem}</translation>
    </message>
    <message>
        <source>Line {line}: {problem}</source>
        <translation>Línea {line}: {problem}</translation>
    </message>
    <message>
        <source>the id “{id}” belongs to a built-in exercise: choose another one.</source>
        <translation>el id “{id}” pertenece a un ejercicio incluido: elige otro.</translation>
    </message>
    <message>
        <source>“{field}” is missing.</source>
        <translation>falta “{field}”.</translation>
    </message>
    <message>
        <source>“{field}” must be text.</source>
        <translation>“{field}” debe ser un texto.</translation>
    </message>
    <message>
        <source>“steps” must be a list of sentences, like steps = [&quot;Sit tall.&quot;, &quot;Breathe out slowly.&quot;].</source>
        <translation>“steps” debe ser una lista de frases, como steps = [&quot;Siéntate con la espalda recta.&quot;, &quot;Suelta el aire despacio.&quot;].</translation>
    </message>
    <message>
        <source>“{field}” must be a whole number from {low} to {high}.</source>
        <translation>“{field}” debe ser un número entero de {low} a {high}.</translation>
    </message>
    <message>
        <source>“area” must be one of: {areas}.</source>
        <translation>“area” debe ser uno de estos valores: {areas}.</translation>
    </message>
    <message>
        <source>“kinds” must be a list of “micro” and/or “posture”.</source>
        <translation>“kinds” debe ser una lista con “micro” y/o “posture”.</translation>
    </message>
    <message>
        <source>“{field}” is not a field NeckCare knows (a typo?). Known: {known}.</source>
        <translation>“{field}” no es un campo que NeckCare conozca (¿una errata?). Campos conocidos: {known}.</translation>
    </message>
    <message>
        <source>the id “{id}” is used by an earlier exercise in this file.</source>
        <translation>el id “{id}” ya lo usa un ejercicio anterior de este archivo.</translation>
    </message>
    <message>
        <source>“picture” must be an SVG or PNG file next to the exercises file.</source>
        <translation>“picture” debe ser un archivo SVG o PNG junto al archivo de ejercicios.</translation>
    </message>
    <message>
        <source>the picture “{file}” was not found next to the exercises file.</source>
        <translation>no se encontró la imagen “{file}” junto al archivo de ejercicios.</translation>
    </message>
    <message>
        <source>NeckCare does not suggest “{words}”: neck rolls, circles with the head and hard pressure can strain a sore neck. Leave this exercise out, or ask your physiotherapist for a gentler version.</source>
        <translation>NeckCare no propone “{words}”: girar el cuello en redondo, hacer círculos con la cabeza o presionar con fuerza puede forzar un cuello dolorido. Deja fuera este ejercicio o pide a tu fisioterapeuta una versión más suave.</translation>
    </message>
    <message>
        <source>this is not a valid TOML file ({reason}).</source>
        <translation>no es un archivo TOML válido ({reason}).</translation>
    </message>
    <message>
        <source>built-in exercises cannot be changed or removed, only switched off.</source>
        <translation>los ejercicios incluidos no se pueden cambiar ni quitar, solo desactivar.</translation>
    </message>
</context>
<context>
    <name>ExercisesPage</name>
    <message>
        <source>The exercises your breaks showed, per week: how many you did, in how many breaks, and which.</source>
        <translation>Los ejercicios que te propusieron las pausas, por semana: cuántos hiciste, en cuántas pausas y cuáles.</translation>
    </message>
    <message>
        <source>Exercises per week</source>
        <translation>Ejercicios por semana</translation>
    </message>
    <message>
        <source>Week of</source>
        <translation>Semana del</translation>
    </message>
    <message>
        <source>Exercises done</source>
        <translation>Ejercicios hechos</translation>
    </message>
    <message>
        <source>Breaks with exercises</source>
        <translation>Pausas con ejercicios</translation>
    </message>
    <message>
        <source>Done most</source>
        <translation>Los más hechos</translation>
    </message>
    <message>
        <source>No exercises recorded in this range yet.</source>
        <translation>Todavía no hay ejercicios registrados en este periodo.</translation>
    </message>
    <message>
        <source>{name} ×{count}</source>
        <translation>{name} ×{count}</translation>
    </message>
    <message numerus="yes">
        <source>%n passed over or cut short</source>
        <translation>
            <numerusform>%n omitido o interrumpido</numerusform>
            <numerusform>%n omitidos o interrumpidos</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ExercisesTab</name>
    <message>
        <source>Eyes</source>
        <translation>Ojos</translation>
    </message>
    <message>
        <source>Neck</source>
        <translation>Cuello</translation>
    </message>
    <message>
        <source>Shoulders</source>
        <translation>Hombros</translation>
    </message>
    <message>
        <source>Upper back</source>
        <translation>Parte alta de la espalda</translation>
    </message>
    <message>
        <source>Whole body</source>
        <translation>Todo el cuerpo</translation>
    </message>
    <message>
        <source>Breaks draw their exercises from the ones switched on here. Built-in exercises can be switched off but not changed; your own (or a file from your physiotherapist) can be added, edited and removed. Changes are saved at once.</source>
        <translation>Las pausas toman sus ejercicios de los que están activados aquí. Los ejercicios incluidos se pueden desactivar, pero no cambiar; los tuyos (o un archivo de tu fisioterapeuta) se pueden añadir, editar y quitar. Los cambios se guardan al momento.</translation>
    </message>
    <message>
        <source>Exercises</source>
        <translation>Ejercicios</translation>
    </message>
    <message>
        <source>Add an exercise…</source>
        <translation>Añadir un ejercicio…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Editar…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Quitar</translation>
    </message>
    <message>
        <source>Import a file…</source>
        <translation>Importar un archivo…</translation>
    </message>
    <message>
        <source>Your exercise</source>
        <translation>Tu ejercicio</translation>
    </message>
    <message>
        <source>One step per line</source>
        <translation>Un paso por línea</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Also as a micro-break cue</source>
        <translation>Usar también en las micropausas</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Pasos</translation>
    </message>
    <message>
        <source>Hold each time</source>
        <translation>Mantener cada vez</translation>
    </message>
    <message>
        <source>Repetitions</source>
        <translation>Repeticiones</translation>
    </message>
    <message>
        <source>Body area</source>
        <translation>Zona del cuerpo</translation>
    </message>
    <message>
        <source>Save exercise</source>
        <translation>Guardar ejercicio</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>built-in</source>
        <translation>incluido</translation>
    </message>
    <message>
        <source>your own</source>
        <translation>tuyo</translation>
    </message>
    <message>
        <source>Built-in: switch it off instead</source>
        <translation>Incluido: en su lugar, desactívalo</translation>
    </message>
    <message>
        <source>Import exercises</source>
        <translation>Importar ejercicios</translation>
    </message>
    <message>
        <source>Exercise files (*.toml)</source>
        <translation>Archivos de ejercicios (*.toml)</translation>
    </message>
</context>
<context>
    <name>FieldSpec</name>
    <message>
        <source>Remind me to take micro-breaks</source>
        <translation>Recordarme hacer micropausas</translation>
    </message>
    <message>
        <source>Micro-break every</source>
        <translation>Micropausa cada</translation>
    </message>
    <message>
        <source>min</source>
        <translation>min</translation>
    </message>
    <message>
        <source>Micro-break length</source>
        <translation>Duración de la micropausa</translation>
    </message>
    <message>
        <source>s</source>
        <translation>s</translation>
    </message>
    <message>
        <source>Remind me to take posture breaks</source>
        <translation>Recordarme hacer pausas posturales</translation>
    </message>
    <message>
        <source>Posture break every</source>
        <translation>Pausa postural cada</translation>
    </message>
    <message>
        <source>Posture break length</source>
        <translation>Duración de la pausa postural</translation>
    </message>
    <message>
        <source>Postpone a break by</source>
        <translation>Posponer una pausa</translation>
    </message>
    <message>
        <source>Postpones in a row, at most</source>
        <translation>Aplazamientos seguidos, como máximo</translation>
    </message>
    <message>
        <source>After this many postpones the break window offers only Start break and Skip.</source>
        <translation>Tras este número de aplazamientos, la ventana de pausa solo ofrece Empezar pausa y Omitir.</translation>
    </message>
    <message>
        <source>after this many postpones the break window offers only Start break and Skip</source>
        <translation>tras este número de aplazamientos, la ventana de pausa solo ofrece Empezar pausa y Omitir</translation>
    </message>
    <message>
        <source>Strict mode: no Postpone and no Skip</source>
        <translation>Modo estricto: sin Posponer ni Omitir</translation>
    </message>
    <message>
        <source>Warn before a posture break</source>
        <translation>Avisar antes de una pausa postural</translation>
    </message>
    <message>
        <source>A notification this long before a posture break; 0 turns the warning off.</source>
        <translation>Una notificación con esta antelación antes de una pausa postural; 0 desactiva el aviso.</translation>
    </message>
    <message>
        <source>a notification this long before a posture break; 0 turns the warning off</source>
        <translation>una notificación con esta antelación antes de una pausa postural; 0 desactiva el aviso</translation>
    </message>
    <message>
        <source>Count time away from the computer as a break</source>
        <translation>Contar como pausa el tiempo lejos de la pantalla</translation>
    </message>
    <message>
        <source>When you are away for as long as a break lasts, that break counts as taken.</source>
        <translation>Si te alejas tanto tiempo como dura una pausa, esa pausa cuenta como hecha.</translation>
    </message>
    <message>
        <source>Hold breaks during fullscreen apps and do-not-disturb</source>
        <translation>Retrasar las pausas con apps a pantalla completa o en modo no molestar</translation>
    </message>
    <message>
        <source>A due break waits (up to 30 minutes) while you present, watch or call.</source>
        <translation>Una pausa pendiente espera (hasta 30 minutos) mientras presentas, miras algo o estás en una llamada.</translation>
    </message>
    <message>
        <source>Show the break window on every screen</source>
        <translation>Mostrar la ventana de pausa en todas las pantallas</translation>
    </message>
    <message>
        <source>Hold breaks during calls</source>
        <translation>Retener las pausas durante las llamadas</translation>
    </message>
    <message>
        <source>While another program uses the microphone or camera, a due break waits and comes when the call ends. Only whether they are in use is read, never sound or images.</source>
        <translation>Mientras otro programa usa el micrófono o la cámara, una pausa pendiente espera y llega cuando termina la llamada. Solo se lee si están en uso, nunca el sonido ni las imágenes.</translation>
    </message>
    <message>
        <source>Start a break at a pause in typing of</source>
        <translation>Empezar una pausa tras dejar de escribir durante</translation>
    </message>
    <message>
        <source>A due break waits until you stop typing or moving the mouse this long, one minute at most; 0 starts it at once.</source>
        <translation>Una pausa pendiente espera a que dejes de escribir o de mover el ratón este tiempo, un minuto como máximo; 0 la empieza enseguida.</translation>
    </message>
    <message>
        <source>a due break waits until you stop typing or moving the mouse this long, one minute at most; 0 starts it at once</source>
        <translation>una pausa pendiente espera a que dejes de escribir o de mover el ratón este tiempo, un minuto como máximo; 0 la empieza enseguida</translation>
    </message>
    <message>
        <source>Remind me only during working hours</source>
        <translation>Recordarme solo en horario laboral</translation>
    </message>
    <message>
        <source>Off: reminders run every day, at any hour. Ice and heat timers always work.</source>
        <translation>Desactivado: los recordatorios funcionan todos los días, a cualquier hora. Los temporizadores de hielo y calor funcionan siempre.</translation>
    </message>
    <message>
        <source>Working days</source>
        <translation>Días laborables</translation>
    </message>
    <message>
        <source>Days separated by commas: mon,tue,wed,thu,fri,sat,sun</source>
        <translation>Días separados por comas, con su abreviatura en inglés: mon,tue,wed,thu,fri,sat,sun</translation>
    </message>
    <message>
        <source>Working hours start</source>
        <translation>Inicio de la jornada</translation>
    </message>
    <message>
        <source>HH:MM</source>
        <translation>HH:MM</translation>
    </message>
    <message>
        <source>Working hours end</source>
        <translation>Fin de la jornada</translation>
    </message>
    <message>
        <source>HH:MM; an end before the start runs past midnight</source>
        <translation>HH:MM; si el fin es anterior al inicio, la jornada pasa de la medianoche</translation>
    </message>
    <message>
        <source>Remind me to drink water</source>
        <translation>Recordarme beber agua</translation>
    </message>
    <message>
        <source>Drink water every</source>
        <translation>Beber agua cada</translation>
    </message>
    <message>
        <source>Ice and heat rounds of at most 10 minutes, with a skin check halfway.</source>
        <translation>Sesiones de hielo y calor de 10 minutos como máximo, con una revisión de la piel a mitad de sesión.</translation>
    </message>
    <message>
        <source>Ice rounds of at most 10 minutes, with a skin check halfway.</source>
        <translation>Sesiones de hielo de 10 minutos como máximo, con una revisión de la piel a mitad de sesión.</translation>
    </message>
    <message>
        <source>Heat rounds of at most 10 minutes, with a skin check halfway.</source>
        <translation>Sesiones de calor de 10 minutos como máximo, con una revisión de la piel a mitad de sesión.</translation>
    </message>
    <message>
        <source>Ice round length</source>
        <translation>Duración de una sesión de hielo</translation>
    </message>
    <message>
        <source>Ice is capped at {maximum} minutes a round to protect the skin.</source>
        <translation>El hielo tiene un límite de {maximum} minutos por sesión para proteger la piel.</translation>
    </message>
    <message>
        <source>ice is capped at {maximum} minutes a round</source>
        <translation>el hielo tiene un límite de {maximum} minutos por sesión</translation>
    </message>
    <message>
        <source>Heat session length</source>
        <translation>Duración de una sesión de calor</translation>
    </message>
    <message>
        <source>Heat is capped at {maximum} minutes so nobody falls asleep on a pad.</source>
        <translation>El calor tiene un límite de {maximum} minutos para evitar dormirse sobre una almohadilla.</translation>
    </message>
    <message>
        <source>heat is capped at {maximum} minutes</source>
        <translation>el calor tiene un límite de {maximum} minutos</translation>
    </message>
    <message>
        <source>Rest between ice rounds</source>
        <translation>Descanso entre sesiones de hielo</translation>
    </message>
    <message>
        <source>Skin needs at least {minimum} minutes to warm back up between rounds.</source>
        <translation>La piel necesita al menos {minimum} minutos para recuperar su temperatura entre sesiones.</translation>
    </message>
    <message>
        <source>skin needs at least {minimum} minutes</source>
        <translation>la piel necesita al menos {minimum} minutos</translation>
    </message>
    <message>
        <source>Reduced feeling in my skin</source>
        <translation>Menos sensibilidad en la piel</translation>
    </message>
    <message>
        <source>Circulation problems</source>
        <translation>Problemas de circulación</translation>
    </message>
    <message>
        <source>Sensitive to cold</source>
        <translation>Sensibilidad al frío</translation>
    </message>
    <message>
        <source>Diabetes or nerve damage (neuropathy)</source>
        <translation>Diabetes o daño en los nervios (neuropatía)</translation>
    </message>
    <message>
        <source>The ice and heat safety questions were answered</source>
        <translation>Ya se respondieron las preguntas de seguridad sobre hielo y calor</translation>
    </message>
    <message>
        <source>Play a sound with reminders</source>
        <translation>Reproducir un sonido con los recordatorios</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>Volumen</translation>
    </message>
    <message>
        <source>Suggest seeing a healthcare professional when spasms keep coming back</source>
        <translation>Sugerir consultar a un profesional de la salud si los espasmos se repiten</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>A new language is used from the next start of NeckCare.</source>
        <translation>El nuevo idioma se aplica la próxima vez que se inicie NeckCare.</translation>
    </message>
    <message>
        <source>Asked about starting at login</source>
        <translation>Ya se preguntó si iniciar al entrar en la sesión</translation>
    </message>
</context>
<context>
    <name>FirstRun</name>
    <message>
        <source>Start NeckCare when you log in?</source>
        <translation>¿Iniciar NeckCare al entrar en la sesión?</translation>
    </message>
    <message>
        <source>NeckCare can start by itself when you log in, so reminders and any ice or heat timer carry on after a restart. You can change this later in Settings.</source>
        <translation>NeckCare puede iniciarse solo al entrar en la sesión, para que los recordatorios y cualquier temporizador de hielo o calor sigan después de reiniciar. Puedes cambiarlo más adelante en Configuración.</translation>
    </message>
    <message>
        <source>Start at login</source>
        <translation>Iniciar al entrar en la sesión</translation>
    </message>
</context>
<context>
    <name>FittingScrollArea</name>
    <message>
        <source>Scroll up or down</source>
        <translation>Desplazar arriba o abajo</translation>
    </message>
</context>
<context>
    <name>Guidance</name>
    <message>
        <source>acute phase: ice, about 10 min a round (never over 20)</source>
        <translation>fase aguda: hielo, unos 10 min por sesión (nunca más de 20)</translation>
    </message>
    <message>
        <source>lingering tension: gentle heat may help</source>
        <translation>tensión persistente: el calor suave puede ayudar</translation>
    </message>
    <message>
        <source>You have logged {n} neck spasms in the last 30 days. Spasms that keep coming back are worth talking over with a physiotherapist.</source>
        <translation>Has registrado {n} espasmos en el cuello en los últimos 30 días. Cuando los espasmos se repiten, vale la pena comentarlo con un fisioterapeuta.</translation>
    </message>
    <message>
        <source>A neck spasm that started on {day} has not been marked as resolved after {days} days. Neck pain that lasts more than about 4 weeks is worth having a physiotherapist look at.</source>
        <translation>Un espasmo en el cuello que empezó el {day} sigue sin marcarse como resuelto después de {days} días. Cuando el dolor de cuello dura más de unas 4 semanas, vale la pena que lo valore un fisioterapeuta.</translation>
    </message>
    <message>
        <source>The neck spasm that started on {day} still had pain logged {days} days later. Neck pain that lasts more than about 4 weeks is worth having a physiotherapist look at.</source>
        <translation>El espasmo en el cuello que empezó el {day} aún tenía dolor registrado {days} días después. Cuando el dolor de cuello dura más de unas 4 semanas, vale la pena que lo valore un fisioterapeuta.</translation>
    </message>
    <message>
        <source>{sign} is a reason to get medical care promptly — today, not at your next appointment.</source>
        <translation>{sign}: es un motivo para buscar atención médica sin demora — hoy, no en tu próxima cita.</translation>
    </message>
    <message>
        <source>{signs}: each of these is a reason to get medical care promptly — today, not at your next appointment.</source>
        <translation>{signs}: cada una de estas señales es un motivo para buscar atención médica sin demora — hoy, no en tu próxima cita.</translation>
    </message>
    <message>
        <source>You noted {signs} with the spasm. Together with neck pain, that is a good reason to talk to a healthcare professional.</source>
        <translation>Junto con el espasmo anotaste: {signs}. Si se suma al dolor de cuello, es un buen motivo para hablar con un profesional de la salud.</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <source>Could not create the history file {path}: {reason}. Check that you can write to that folder.</source>
        <translation>No se pudo crear el archivo de historial {path}: {reason}. Comprueba que puedes escribir en esa carpeta.</translation>
    </message>
    <message>
        <source>Could not open the history file {path}: {reason}. Check that the file and its folder exist and that you can write to them.</source>
        <translation>No se pudo abrir el archivo de historial {path}: {reason}. Comprueba que el archivo y su carpeta existen y que puedes escribir en ellos.</translation>
    </message>
    <message>
        <source>The history file {path} is in use by another program (SQLite says: {reason}).</source>
        <translation>Otro programa está usando el archivo de historial {path} (SQLite dice: {reason}).</translation>
    </message>
    <message>
        <source>The history file {path} is not a NeckCare history database (SQLite says: {reason}). It may be damaged. NeckCare did not change it; move or rename it to start a new history, or restore it from a backup.</source>
        <translation>El archivo de historial {path} no es una base de datos de historial de NeckCare (SQLite dice: {reason}). Puede estar dañado. NeckCare no lo ha modificado; muévelo o cámbiale el nombre para empezar un historial nuevo, o restáuralo desde una copia de seguridad.</translation>
    </message>
    <message>
        <source>The history file {path} was written by a newer NeckCare (history format {version}; this version understands up to {supported}); nothing was changed. Update NeckCare to keep using this history.</source>
        <translation>El archivo de historial {path} lo escribió un NeckCare más reciente (formato de historial {version}; esta versión entiende hasta el {supported}); no se ha cambiado nada. Actualiza NeckCare para seguir usando este historial.</translation>
    </message>
    <message>
        <source>Could not prepare the history file {path}: {reason}. Check that you can write to it and that the disk is not full.</source>
        <translation>No se pudo preparar el archivo de historial {path}: {reason}. Comprueba que puedes escribir en él y que el disco no está lleno.</translation>
    </message>
    <message>
        <source>Could not upgrade the history file {path} from format {version} to {target}: {reason}. The file was left at format {version}; check free disk space and that you can write to it, then restart NeckCare.</source>
        <translation>No se pudo actualizar el archivo de historial {path} del formato {version} al {target}: {reason}. El archivo sigue en el formato {version}; revisa el espacio libre en el disco y que puedes escribir en él, y luego reinicia NeckCare.</translation>
    </message>
    <message>
        <source>The history is closed; reopen NeckCare to use it again.</source>
        <translation>El historial está cerrado; vuelve a abrir NeckCare para usarlo de nuevo.</translation>
    </message>
    <message>
        <source>Could not read the history file {path}: {reason}. Check free disk space and that you can write to it.</source>
        <translation>No se pudo leer el archivo de historial {path}: {reason}. Revisa el espacio libre en el disco y que puedes escribir en él.</translation>
    </message>
    <message>
        <source>Could not save to the history file {path}: {reason}. Check free disk space and that you can write to it.</source>
        <translation>No se pudo guardar en el archivo de historial {path}: {reason}. Revisa el espacio libre en el disco y que puedes escribir en él.</translation>
    </message>
    <message>
        <source>Could not delete the history in the history file {path}: {reason}. Check free disk space and that you can write to it.</source>
        <translation>No se pudo borrar el historial del archivo {path}: {reason}. Revisa el espacio libre en el disco y que puedes escribir en él.</translation>
    </message>
    <message>
        <source>pain must be a whole number from 0 to 10, got {pain}</source>
        <translation>el dolor debe ser un número entero de 0 a 10, pero es {pain}</translation>
    </message>
    <message>
        <source>there is no spasm episode #{id}</source>
        <translation>no existe el espasmo n.º {id}</translation>
    </message>
    <message>
        <source>spasm episode #{id} is already resolved</source>
        <translation>el espasmo n.º {id} ya está resuelto</translation>
    </message>
    <message>
        <source>{when} is before episode #{id} started</source>
        <translation>{when} es anterior al inicio del espasmo n.º {id}</translation>
    </message>
    <message>
        <source>Could not write the CSV file {path}: {reason}. Choose a folder that exists and that you can write to.</source>
        <translation>No se pudo escribir el archivo CSV {path}: {reason}. Elige una carpeta que exista y en la que puedas escribir.</translation>
    </message>
    <message>
        <source>(no copy: {reason})</source>
        <translation>(sin copia: {reason})</translation>
    </message>
    <message>
        <source>The newest part of NeckCare&apos;s history ({wal}) was damaged ({problem}), so the rows in it from that point on cannot be read and are missing from History. A copy was kept as {copy}; the rest of the history is unchanged.</source>
        <translation>La parte más reciente del historial de NeckCare ({wal}) estaba dañada ({problem}), así que sus filas desde ese punto no se pueden leer y faltan en el Historial. Se guardó una copia como {copy}; el resto del historial no ha cambiado.</translation>
    </message>
    <message>
        <source>{path} is not a NeckCare history file</source>
        <translation>{path} no es un archivo de historial de NeckCare</translation>
    </message>
    <message>
        <source>NeckCare cannot use its history file {path} right now ({reason}): another program may be using it, or the disk may be full or read-only. Timers and reminders keep working, a running ice or heat timer is remembered, and history is saved when the file can be used again. The file was not changed.</source>
        <translation>NeckCare no puede usar ahora su archivo de historial {path} ({reason}): puede que otro programa lo esté usando o que el disco esté lleno o sea de solo lectura. Los temporizadores y los recordatorios siguen funcionando, un temporizador de frío o calor en marcha no se olvida y el historial se guarda cuando se pueda volver a usar el archivo. El archivo no se ha modificado.</translation>
    </message>
    <message>
        <source>Your history file {path} was written by a newer version of NeckCare, so this version leaves it untouched and does not save history this time. Update NeckCare to keep recording.</source>
        <translation>Tu archivo de historial {path} lo escribió una versión más reciente de NeckCare, así que esta versión no lo toca y esta vez no guarda el historial. Actualiza NeckCare para seguir registrando.</translation>
    </message>
    <message>
        <source>NeckCare cannot create its history file at {path} right now ({reason}). Timers and reminders keep working, and the history is started and saved as soon as the disk takes it.</source>
        <translation>NeckCare no puede crear ahora mismo su archivo de historial en {path} ({reason}). Los temporizadores y recordatorios siguen funcionando, y el historial se empieza y se guarda en cuanto el disco lo acepte.</translation>
    </message>
    <message>
        <source>NeckCare cannot create its history file at {path} ({reason}). Timers and reminders work; history is not saved this time. Check the folder&apos;s permissions.</source>
        <translation>NeckCare no puede crear su archivo de historial en {path} ({reason}). Los temporizadores y los recordatorios funcionan; esta vez no se guarda el historial. Revisa los permisos de la carpeta.</translation>
    </message>
    <message>
        <source>NeckCare cannot read its history file {path} ({reason}) and cannot move it aside ({move_reason}). History is not saved this time.</source>
        <translation>NeckCare no puede leer su archivo de historial {path} ({reason}) ni apartarlo ({move_reason}). Esta vez no se guarda el historial.</translation>
    </message>
    <message>
        <source>NeckCare moved a damaged history file to {moved} but cannot start a new one ({reason}). History is not saved this time.</source>
        <translation>NeckCare apartó un archivo de historial dañado a {moved}, pero no puede empezar uno nuevo ({reason}). Esta vez no se guarda el historial.</translation>
    </message>
    <message>
        <source>NeckCare&apos;s history file could not be read, so it was moved to {moved} and a new one was started. Nothing in the old file was deleted.</source>
        <translation>No se pudo leer el archivo de historial de NeckCare, así que se movió a {moved} y se empezó uno nuevo. No se borró nada del archivo antiguo.</translation>
    </message>
</context>
<context>
    <name>HistoryCharts</name>
    <message>
        <source>Completed</source>
        <translation>Completadas</translation>
    </message>
    <message>
        <source>Taken while away</source>
        <translation>Hechas en tu ausencia</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Omitidas</translation>
    </message>
    <message>
        <source>Breaks</source>
        <translation>Pausas</translation>
    </message>
    <message>
        <source>Breaks per day</source>
        <translation>Pausas por día</translation>
    </message>
    <message>
        <source>breaks</source>
        <translation>pausas</translation>
    </message>
    <message>
        <source>Postponements</source>
        <translation>Aplazamientos</translation>
    </message>
    <message>
        <source>Chart of breaks per day</source>
        <translation>Gráfico de pausas por día</translation>
    </message>
    <message>
        <source>Ice (min)</source>
        <translation>Hielo (min)</translation>
    </message>
    <message>
        <source>Heat (min)</source>
        <translation>Calor (min)</translation>
    </message>
    <message>
        <source>Ice and heat</source>
        <translation>Hielo y calor</translation>
    </message>
    <message>
        <source>Spasm started (worst pain, 0–10)</source>
        <translation>Inicio de espasmo (peor dolor, 0–10)</translation>
    </message>
    <message>
        <source>Ice, heat and neck spasms per day</source>
        <translation>Hielo, calor y espasmos en el cuello por día</translation>
    </message>
    <message>
        <source>minutes</source>
        <translation>minutos</translation>
    </message>
    <message>
        <source>pain</source>
        <translation>dolor</translation>
    </message>
    <message>
        <source>Chart of ice and heat minutes and neck spasms per day</source>
        <translation>Gráfico de minutos de hielo y calor y de espasmos en el cuello por día</translation>
    </message>
    <message>
        <source>{day}: {completed} completed, {natural} while away, {postponed} postponed, {skipped} skipped</source>
        <translation>{day}: completadas: {completed}; en tu ausencia: {natural}; pospuestas: {postponed}; omitidas: {skipped}</translation>
    </message>
    <message>
        <source>{day}: ice {ice} min, heat {heat} min</source>
        <translation>{day}: hielo {ice} min, calor {heat} min</translation>
    </message>
    <message>
        <source>{day}: {n} spasm(s) started, worst pain {pain} of 10</source>
        <translation>{day}: {n} espasmo(s) iniciado(s), peor dolor {pain} de 10</translation>
    </message>
</context>
<context>
    <name>HistoryWindow</name>
    <message>
        <source>History — NeckCare</source>
        <translation>Historial — NeckCare</translation>
    </message>
    <message>
        <source>History (test mode) — NeckCare</source>
        <translation>Historial (modo de prueba) — NeckCare</translation>
    </message>
    <message>
        <source>{n} days</source>
        <translation>{n} días</translation>
    </message>
    <message>
        <source>Show the last {n} days</source>
        <translation>Mostrar los últimos {n} días</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualizar</translation>
    </message>
    <message>
        <source>Refresh history</source>
        <translation>Actualizar el historial</translation>
    </message>
    <message>
        <source>Totals for the chosen days</source>
        <translation>Totales de los días elegidos</translation>
    </message>
    <message>
        <source>Streak of days with enough breaks</source>
        <translation>Racha de días con suficientes pausas</translation>
    </message>
    <message>
        <source>Open neck spasm</source>
        <translation>Espasmo en el cuello sin resolver</translation>
    </message>
    <message>
        <source>Test mode: time runs faster and this is a separate demo history; your real history is not shown and not written.</source>
        <translation>Modo de prueba: el tiempo corre más rápido y este es un historial de demostración aparte; tu historial real no se muestra ni se modifica.</translation>
    </message>
    <message>
        <source>History views</source>
        <translation>Vistas del historial</translation>
    </message>
    <message>
        <source>&amp;Charts</source>
        <translation>&amp;Gráficos</translation>
    </message>
    <message>
        <source>&amp;Pain and habits</source>
        <translation>&amp;Dolor y hábitos</translation>
    </message>
    <message>
        <source>&amp;Events</source>
        <translation>&amp;Eventos</translation>
    </message>
    <message>
        <source>E&amp;xercises</source>
        <translation>E&amp;jercicios</translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation>E&amp;xportar CSV…</translation>
    </message>
    <message>
        <source>Export history as CSV</source>
        <translation>Exportar el historial como CSV</translation>
    </message>
    <message>
        <source>&amp;Open data folder</source>
        <translation>Abrir &amp;carpeta de datos</translation>
    </message>
    <message>
        <source>Open the folder with the history file</source>
        <translation>Abrir la carpeta del archivo de historial</translation>
    </message>
    <message>
        <source>Report for your c&amp;linician…</source>
        <translation>&amp;Informe para la consulta…</translation>
    </message>
    <message>
        <source>Write a PDF report for your clinician</source>
        <translation>Crear un informe PDF para llevar a tu fisioterapeuta o médico</translation>
    </message>
    <message>
        <source>&amp;Delete all history…</source>
        <translation>&amp;Borrar todo el historial…</translation>
    </message>
    <message>
        <source>Delete all history</source>
        <translation>Borrar todo el historial</translation>
    </message>
    <message>
        <source>Open neck spasm since {start}, pain {pain} of 10 — {advice}.</source>
        <translation>Espasmo en el cuello sin resolver desde el {start}, dolor {pain} de 10 — {advice}.</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Archivos CSV (*.csv)</translation>
    </message>
    <message>
        <source>Could not open {path}. The history file is {file}.</source>
        <translation>No se pudo abrir {path}. El archivo de historial es {file}.</translation>
    </message>
    <message>
        <source>Delete all history? — NeckCare</source>
        <translation>¿Borrar todo el historial? — NeckCare</translation>
    </message>
    <message>
        <source>Delete all history?</source>
        <translation>¿Borrar todo el historial?</translation>
    </message>
    <message>
        <source>Every break, ice and heat session and spasm you logged will be removed from this computer. This cannot be undone; export a CSV first if you want to keep a copy.</source>
        <translation>Se eliminarán de este equipo todas las pausas, sesiones de hielo y calor y espasmos que registraste. No se puede deshacer; si quieres conservar una copia, exporta antes un CSV.</translation>
    </message>
    <message>
        <source>Delete all</source>
        <translation>Borrar todo</translation>
    </message>
</context>
<context>
    <name>JobStatus</name>
    <message>
        <source>Progress of the export or deletion</source>
        <translation>Progreso de la exportación o del borrado</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Exporting history to {path}…</source>
        <translation>Exportando el historial a {path}…</translation>
    </message>
    <message>
        <source>Deleting all history…</source>
        <translation>Borrando todo el historial…</translation>
    </message>
    <message>
        <source>All history was deleted.</source>
        <translation>Se borró todo el historial.</translation>
    </message>
    <message>
        <source>Export failed. {reason}</source>
        <translation>No se pudo exportar. {reason}</translation>
    </message>
    <message>
        <source>Deleting the history failed. {reason}</source>
        <translation>No se pudo borrar el historial. {reason}</translation>
    </message>
    <message>
        <source>1 event</source>
        <translation>1 evento</translation>
    </message>
    <message>
        <source>{n} events</source>
        <translation>{n} eventos</translation>
    </message>
    <message>
        <source>1 spasm episode</source>
        <translation>1 espasmo</translation>
    </message>
    <message>
        <source>{n} spasm episodes</source>
        <translation>{n} espasmos</translation>
    </message>
    <message>
        <source>Exported {events} and {episodes} to {path}</source>
        <translation>Se exportaron {events} y {episodes} a {path}</translation>
    </message>
</context>
<context>
    <name>NeckCareApp</name>
    <message>
        <source>Your answers to the ice and heat safety questions are kept from before.</source>
        <translation>Se mantienen tus respuestas anteriores a las preguntas de seguridad sobre el hielo y el calor.</translation>
    </message>
    <message>
        <source>History file</source>
        <translation>Archivo de historial</translation>
    </message>
    <message>
        <source>Settings file has problems</source>
        <translation>El archivo de configuración tiene problemas</translation>
    </message>
    <message>
        <source>Your exercise file has a problem</source>
        <translation>Tu archivo de ejercicios tiene un problema</translation>
    </message>
    <message>
        <source>do not disturb</source>
        <translation>no molestar</translation>
    </message>
</context>
<context>
    <name>Notices</name>
    <message>
        <source>{time} {title}</source>
        <translation>{time} {title}</translation>
    </message>
</context>
<context>
    <name>PainHabitsView</name>
    <message>
        <source>Pain, breaks, ice and heat on the same days</source>
        <translation>Dolor, pausas, hielo y calor en los mismos días</translation>
    </message>
    <message>
        <source>Pain and habits status</source>
        <translation>Estado de Dolor y hábitos</translation>
    </message>
    <message>
        <source>Pain, breaks, ice and heat in words</source>
        <translation>Dolor, pausas, hielo y calor en palabras</translation>
    </message>
    <message>
        <source>Pain logged (0–10)</source>
        <translation>Dolor registrado (0–10)</translation>
    </message>
    <message>
        <source>Pain, each value logged</source>
        <translation>Dolor, cada valor registrado</translation>
    </message>
    <message>
        <source>pain</source>
        <translation>dolor</translation>
    </message>
    <message>
        <source>Chart of each pain value logged</source>
        <translation>Gráfico de cada valor de dolor registrado</translation>
    </message>
    <message>
        <source>Taken</source>
        <translation>Hechas</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Omitidas</translation>
    </message>
    <message>
        <source>Breaks taken of breaks due, per day</source>
        <translation>Pausas hechas de las previstas, por día</translation>
    </message>
    <message>
        <source>% of due</source>
        <translation>% de previstas</translation>
    </message>
    <message>
        <source>Chart of breaks taken of breaks due per day</source>
        <translation>Gráfico de pausas hechas de las previstas por día</translation>
    </message>
    <message>
        <source>Ice rounds</source>
        <translation>Sesiones de hielo</translation>
    </message>
    <message>
        <source>Heat rounds</source>
        <translation>Sesiones de calor</translation>
    </message>
    <message>
        <source>Ice and heat rounds per day</source>
        <translation>Sesiones de hielo y calor por día</translation>
    </message>
    <message>
        <source>rounds</source>
        <translation>sesiones</translation>
    </message>
    <message>
        <source>Chart of ice and heat rounds per day</source>
        <translation>Gráfico de sesiones de hielo y calor por día</translation>
    </message>
    <message>
        <source>Reading the history…</source>
        <translation>Leyendo el historial…</translation>
    </message>
    <message>
        <source>Could not read the history: {reason}</source>
        <translation>No se pudo leer el historial: {reason}</translation>
    </message>
    <message>
        <source>No pain logged in these days (no data)</source>
        <translation>Ningún valor de dolor registrado en estos días (sin datos)</translation>
    </message>
    <message>
        <source>{when}: pain {pain} of 10</source>
        <translation>{when}: dolor {pain} de 10</translation>
    </message>
</context>
<context>
    <name>Prompts</name>
    <message>
        <source>Ice is on: off in %1 min. If NeckCare quits, no alert will tell you to take it off.</source>
        <translation>El hielo está puesto: se retira en %1 min. Si NeckCare se cierra, ninguna alerta te avisará de que lo quites.</translation>
    </message>
    <message>
        <source>Ice is off: back on in %1 min. If NeckCare quits, no alert will tell you when to put it back on or when to take it off again.</source>
        <translation>El hielo está retirado: se vuelve a poner en %1 min. Si NeckCare se cierra, ninguna alerta te avisará de cuándo volver a ponerlo ni de cuándo quitarlo de nuevo.</translation>
    </message>
    <message>
        <source>Ice is on: %1 min left. If NeckCare quits, no alert will tell you to take it off.</source>
        <translation>Tienes hielo puesto: faltan %1 min. Si NeckCare se cierra, ninguna alerta te avisará de que lo retires.</translation>
    </message>
    <message>
        <source>Heat is on: %1 min left. If NeckCare quits, no alert will tell you to take it off.</source>
        <translation>Tienes calor puesto: faltan %1 min. Si NeckCare se cierra, ninguna alerta te avisará de que lo retires.</translation>
    </message>
</context>
<context>
    <name>Protocol</name>
    <message>
        <source>none</source>
        <translation>ninguno</translation>
    </message>
    <message>
        <source>Command {command} does not take an argument named {name} (allowed: {allowed}).</source>
        <translation>La orden {command} no admite un argumento llamado {name} (admitidos: {allowed}).</translation>
    </message>
    <message>
        <source>Command {command} needs the argument {name}.</source>
        <translation>La orden {command} necesita el argumento {name}.</translation>
    </message>
    <message>
        <source>Argument {name} of {command} must be a whole number, not {value}.</source>
        <translation>El argumento {name} de {command} debe ser un número entero, no {value}.</translation>
    </message>
    <message>
        <source>Argument {name} of {command} must be between {low} and {high}, not {value}.</source>
        <translation>El argumento {name} de {command} debe estar entre {low} y {high}, no {value}.</translation>
    </message>
    <message>
        <source>Argument {name} of {command} must be true or false, not {value}.</source>
        <translation>El argumento {name} de {command} debe ser true o false, no {value}.</translation>
    </message>
    <message>
        <source>Argument {name} of {command} must be one of {options}, not {value}.</source>
        <translation>El argumento {name} de {command} debe ser uno de {options}, no {value}.</translation>
    </message>
    <message>
        <source>Unknown command {command} (known commands: {known}).</source>
        <translation>Orden desconocida {command} (órdenes conocidas: {known}).</translation>
    </message>
    <message>
        <source>The request uses protocol version {version}, but this NeckCare speaks version {ours}; use the same NeckCare version for the command and the app.</source>
        <translation>La petición usa la versión {version} del protocolo, pero este NeckCare habla la versión {ours}; usa la misma versión de NeckCare para la orden y para la aplicación.</translation>
    </message>
    <message>
        <source>The response uses protocol version {version}, but this NeckCare speaks version {ours}; use the same NeckCare version for the command and the app.</source>
        <translation>La respuesta usa la versión {version} del protocolo, pero este NeckCare habla la versión {ours}; usa la misma versión de NeckCare para la orden y para la aplicación.</translation>
    </message>
</context>
<context>
    <name>Report</name>
    <message>
        <source>Wrote a 1-page report of the last {days} days to {path}</source>
        <translation>Se creó un informe de 1 página de los últimos {days} días en {path}</translation>
    </message>
    <message>
        <source>Wrote a {pages}-page report of the last {days} days to {path}</source>
        <translation>Se creó un informe de {pages} páginas de los últimos {days} días en {path}</translation>
    </message>
    <message>
        <source>{weekday} {day} {month}</source>
        <translation>{weekday} {day} {month}</translation>
    </message>
    <message>
        <source>{day} {year}</source>
        <translation>{day} {year}</translation>
    </message>
    <message>
        <source>{month} {year}</source>
        <translation>{month} {year}</translation>
    </message>
    <message>
        <source>{first} – {last}</source>
        <translation>{first} – {last}</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>Semana</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Mes</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>Año</translation>
    </message>
    <message>
        <source>{name} ({times})</source>
        <translation>{name} ({times})</translation>
    </message>
    <message>
        <source>Exercises in the breaks</source>
        <translation>Ejercicios en las pausas</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Hechos</translation>
    </message>
    <message>
        <source>Breaks with exercises</source>
        <translation>Pausas con ejercicios</translation>
    </message>
    <message>
        <source>Passed over or cut short</source>
        <translation>Omitidos o interrumpidos</translation>
    </message>
    <message>
        <source>Done most often</source>
        <translation>Los más hechos</translation>
    </message>
    <message>
        <source>Each exercise counts once each time it was done in a break&apos;s routine, by the name it had then.</source>
        <translation>Cada ejercicio cuenta una vez por cada vez que se hizo en la rutina de una pausa, con el nombre que tenía entonces.</translation>
    </message>
    <message>
        <source>Neck spasms, ice and heat, and breaks</source>
        <translation>Espasmos en el cuello, hielo y calor, y pausas</translation>
    </message>
    <message>
        <source>Shown per week (Monday to Sunday) to keep this report to two pages.</source>
        <translation>Por semanas (de lunes a domingo), para que el informe no pase de dos páginas.</translation>
    </message>
    <message>
        <source>Shown per month to keep this report to two pages.</source>
        <translation>Por meses, para que el informe no pase de dos páginas.</translation>
    </message>
    <message>
        <source>Shown per year to keep this report to two pages.</source>
        <translation>Por años, para que el informe no pase de dos páginas.</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Día</translation>
    </message>
    <message>
        <source>Recorded by the person with NeckCare Desktop; not a diagnosis</source>
        <translation>Registrado por la propia persona con NeckCare Desktop; no es un diagnóstico</translation>
    </message>
    <message>
        <source>Page {page} of {pages}</source>
        <translation>Página {page} de {pages}</translation>
    </message>
    <message>
        <source>Neck spasms</source>
        <translation>Espasmos en el cuello</translation>
    </message>
    <message>
        <source>No spasm was logged in these days.</source>
        <translation>No se registró ningún espasmo en estos días.</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Inicio</translation>
    </message>
    <message>
        <source>Pain (0–10) over time</source>
        <translation>Evolución del dolor (0–10)</translation>
    </message>
    <message>
        <source>Possible triggers</source>
        <translation>Posibles detonantes</translation>
    </message>
    <message>
        <source>Warning signs noted</source>
        <translation>Señales de alerta anotadas</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Resuelto</translation>
    </message>
    <message>
        <source>The latest {shown} of {total} spasms are listed, to keep this report to two pages; History → Export CSV… has every one.</source>
        <translation>Se muestran los {shown} espasmos más recientes de {total}, para que el informe no pase de dos páginas; en Historial → Exportar CSV… están todos.</translation>
    </message>
    <message>
        <source>A spasm with more than {n} pain values shows the first and the latest ones (… marks the gap).</source>
        <translation>En un espasmo con más de {n} valores de dolor se muestran los primeros y los más recientes (… marca el salto).</translation>
    </message>
    <message>
        <source>not yet</source>
        <translation>todavía no</translation>
    </message>
    <message>
        <source>Ice and heat</source>
        <translation>Hielo y calor</translation>
    </message>
    <message>
        <source>No ice or heat round was recorded in these days.</source>
        <translation>No se registró ninguna sesión de hielo ni de calor en estos días.</translation>
    </message>
    <message>
        <source>All days</source>
        <translation>Todos los días</translation>
    </message>
    <message>
        <source>Ice</source>
        <translation>Hielo</translation>
    </message>
    <message>
        <source>Heat</source>
        <translation>Calor</translation>
    </message>
    <message>
        <source>Minutes the pack was on. A round cancelled in its first minutes is not counted; an ice session of 10 min on, 10 off, 10 on is one round.</source>
        <translation>Minutos con el hielo o el calor puesto. Una sesión cancelada en sus primeros minutos no cuenta; una sesión de hielo de 10 min con hielo, 10 sin y 10 con cuenta como una.</translation>
    </message>
    <message>
        <source>Each figure is rounded to the nearest minute from the exact times, so the rows may not add up to the total exactly.</source>
        <translation>Cada cifra se redondea al minuto más cercano a partir de los tiempos exactos, por lo que las filas pueden no sumar exactamente el total.</translation>
    </message>
    <message>
        <source>1 round, under 1 min</source>
        <translation>1 sesión, menos de 1 min</translation>
    </message>
    <message>
        <source>{n} rounds, under 1 min</source>
        <translation>{n} sesiones, menos de 1 min</translation>
    </message>
    <message>
        <source>1 round, {minutes} min</source>
        <translation>1 sesión, {minutes} min</translation>
    </message>
    <message>
        <source>{n} rounds, {minutes} min</source>
        <translation>{n} sesiones, {minutes} min</translation>
    </message>
    <message>
        <source>1 stopped early: skin went numb</source>
        <translation>1 detenida antes: la piel se entumeció</translation>
    </message>
    <message>
        <source>{n} stopped early: skin went numb</source>
        <translation>{n} detenidas antes: la piel se entumeció</translation>
    </message>
    <message>
        <source>Breaks, per week</source>
        <translation>Pausas, por semana</translation>
    </message>
    <message>
        <source>Breaks</source>
        <translation>Pausas</translation>
    </message>
    <message>
        <source>{percent}%</source>
        <translation>{percent}%</translation>
    </message>
    <message>
        <source>Taken</source>
        <translation>Hechas</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Previstas</translation>
    </message>
    <message>
        <source>Taken of due</source>
        <translation>% hechas</translation>
    </message>
    <message>
        <source>Taken: done at the reminder, or away from the computer for as long as the break. Due: taken plus skipped; a postponed break counts once, when it ends.</source>
        <translation>Hechas: al recibir el recordatorio, o lejos de la pantalla tanto tiempo como dura la pausa. Previstas: hechas más omitidas; una pausa pospuesta cuenta una vez, cuando termina.</translation>
    </message>
    <message>
        <source>Notes written with the spasms</source>
        <translation>Notas escritas con los espasmos</translation>
    </message>
    <message>
        <source>The latest {shown} of {total} notes are shown; History → Export CSV… has every one.</source>
        <translation>Se muestran las {shown} notas más recientes de {total}; en Historial → Exportar CSV… están todas.</translation>
    </message>
    <message>
        <source>A long note ends with … where it was cut; History → Export CSV… has it whole.</source>
        <translation>Una nota larga termina en … donde se cortó; en Historial → Exportar CSV… está completa.</translation>
    </message>
    <message>
        <source>{first} to {last} ({days} days)</source>
        <translation>Del {first} al {last} ({days} días)</translation>
    </message>
    <message>
        <source>made on {day}</source>
        <translation>creado el {day}</translation>
    </message>
    <message>
        <source>What the person logged in NeckCare Desktop, as they logged it. The figures stand side by side; they do not show what caused what.</source>
        <translation>Lo que la persona registró en NeckCare Desktop, tal como lo registró. Las cifras se muestran una junto a otra; no indican qué causó qué.</translation>
    </message>
    <message>
        <source>Save the report for your clinician</source>
        <translation>Guardar el informe para la consulta</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Archivos PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Writing the report to {path}…</source>
        <translation>Creando el informe en {path}…</translation>
    </message>
    <message>
        <source>The report was not written. {reason}</source>
        <translation>No se pudo crear el informe. {reason}</translation>
    </message>
    <message>
        <source>Could not write the report {path}: {reason}. Choose a folder that exists and that you can write to.</source>
        <translation>No se pudo escribir el informe {path}: {reason}. Elige una carpeta que exista y en la que puedas escribir.</translation>
    </message>
</context>
<context>
    <name>RoutineView</name>
    <message>
        <source>Repetition and hold</source>
        <translation>Repetición y tiempo de mantener</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Siguiente</translation>
    </message>
    <message>
        <source>Leave this exercise out and go to the next</source>
        <translation>Saltar este ejercicio y pasar al siguiente</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Hecho</translation>
    </message>
    <message>
        <source>I did this one: go to the next</source>
        <translation>Ya lo hice: pasar al siguiente</translation>
    </message>
    <message>
        <source>Exercise %1 of %2</source>
        <translation>Ejercicio %1 de %2</translation>
    </message>
    <message>
        <source>All exercises done</source>
        <translation>Ejercicios terminados</translation>
    </message>
    <message>
        <source>Stand, look into the distance and breathe calmly until the break ends.</source>
        <translation>Ponte de pie, mira a lo lejos y respira con calma hasta que termine la pausa.</translation>
    </message>
    <message>
        <source>Repetition %1 of %2</source>
        <translation>Repetición %1 de %2</translation>
    </message>
    <message>
        <source>hold %1 s</source>
        <translation>mantén %1 s</translation>
    </message>
    <message>
        <source>relax</source>
        <translation>relaja</translation>
    </message>
</context>
<context>
    <name>SafetyCheck</name>
    <message>
        <source>Safety check — NeckCare</source>
        <translation>Comprobación de seguridad — NeckCare</translation>
    </message>
    <message>
        <source>Before ice or heat: do any of these apply to you?</source>
        <translation>Antes del hielo o el calor: ¿te ocurre alguna de estas cosas?</translation>
    </message>
    <message>
        <source>&amp;Reduced feeling in my skin</source>
        <translation>&amp;Menos sensibilidad en la piel</translation>
    </message>
    <message>
        <source>&amp;Circulation problems</source>
        <translation>Problemas de &amp;circulación</translation>
    </message>
    <message>
        <source>Sensitive to c&amp;old</source>
        <translation>Sensibilidad al &amp;frío</translation>
    </message>
    <message>
        <source>&amp;Diabetes or nerve damage (neuropathy)</source>
        <translation>&amp;Diabetes o daño en los nervios (neuropatía)</translation>
    </message>
    <message>
        <source>With any of these, cold or heat can hurt the skin before you feel it, so NeckCare keeps each round to 10 minutes and reminds you to check your skin halfway.</source>
        <translation>Con cualquiera de ellas, el frío o el calor pueden dañar la piel antes de que lo notes, así que NeckCare limita cada sesión a 10 minutos y te recuerda revisar la piel a mitad de sesión.</translation>
    </message>
    <message>
        <source>You can change these answers later in Settings → Ice and heat.</source>
        <translation>Puedes cambiar estas respuestas más adelante en Configuración → Hielo y calor.</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Guardar</translation>
    </message>
    <message>
        <source>&amp;Not now</source>
        <translation>Ahora &amp;no</translation>
    </message>
    <message>
        <source>&amp;Start ice</source>
        <translation>&amp;Aplicar hielo</translation>
    </message>
    <message>
        <source>&amp;Start heat</source>
        <translation>&amp;Aplicar calor</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Ice is on: do any of these apply to you?</source>
        <translation>Tienes hielo puesto: ¿te ocurre alguna de estas cosas?</translation>
    </message>
    <message>
        <source>Heat is on: do any of these apply to you?</source>
        <translation>Tienes calor puesto: ¿te ocurre alguna de estas cosas?</translation>
    </message>
    <message>
        <source>A yes here also shortens this round to 10 minutes.</source>
        <translation>Si marcas alguna, esta sesión también se acorta a 10 minutos.</translation>
    </message>
</context>
<context>
    <name>SeeSomeoneMessage</name>
    <message>
        <source>A suggestion — NeckCare</source>
        <translation>Una sugerencia — NeckCare</translation>
    </message>
    <message>
        <source>It may be worth talking to a healthcare professional</source>
        <translation>Puede valer la pena hablar con un profesional de la salud</translation>
    </message>
    <message>
        <source>Suggestion</source>
        <translation>Sugerencia</translation>
    </message>
    <message>
        <source>This is a suggestion, not an alarm. Your doctor or another healthcare professional you trust can look at what is going on; NeckCare only gives reminders and timers.</source>
        <translation>Es una sugerencia, no una alarma. Tu médico u otro profesional de la salud de tu confianza puede valorar lo que ocurre; NeckCare solo ofrece recordatorios y temporizadores.</translation>
    </message>
    <message>
        <source>Why this appeared:</source>
        <translation>Por qué aparece:</translation>
    </message>
    <message>
        <source>&amp;Don&apos;t show these suggestions</source>
        <translation>&amp;No mostrar estas sugerencias</translation>
    </message>
    <message>
        <source>Don&apos;t show these suggestions again</source>
        <translation>No volver a mostrar estas sugerencias</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Cerrar</translation>
    </message>
    <message>
        <source>Close this suggestion</source>
        <translation>Cerrar esta sugerencia</translation>
    </message>
</context>
<context>
    <name>SeekCareMessage</name>
    <message>
        <source>Get medical care promptly — NeckCare</source>
        <translation>Busca atención médica sin demora — NeckCare</translation>
    </message>
    <message>
        <source>Please get medical care promptly</source>
        <translation>Por favor, busca atención médica sin demora</translation>
    </message>
    <message>
        <source>Get medical care promptly</source>
        <translation>Busca atención médica sin demora</translation>
    </message>
    <message>
        <source>Call your doctor and say what you noticed. If they cannot see you today, your local out-of-hours service or health advice line can. NeckCare cannot tell what is behind it; a doctor can.</source>
        <translation>Llama a tu médico y cuéntale lo que has notado. Si no puede atenderte hoy, puede hacerlo el servicio médico de guardia de tu zona o una línea telefónica de consejo sanitario. NeckCare no puede saber qué hay detrás; un médico sí.</translation>
    </message>
    <message>
        <source>NeckCare says this whenever one of these signs is ticked, even with suggestions switched off.</source>
        <translation>NeckCare muestra este mensaje siempre que se marca una de estas señales, aunque hayas desactivado las sugerencias.</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Cerrar</translation>
    </message>
    <message>
        <source>Close this message</source>
        <translation>Cerrar este mensaje</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>must name at least one day, e.g. &quot;mon,tue,wed,thu,fri&quot;</source>
        <translation>debe indicar al menos un día, p. ej. &quot;mon,tue,wed,thu,fri&quot;</translation>
    </message>
    <message>
        <source>has unknown day {day}: use {days} separated by commas</source>
        <translation>tiene un día desconocido, {day}: usa {days} separados por comas</translation>
    </message>
    <message>
        <source>must be a time of day as HH:MM, from 00:00 to 23:59</source>
        <translation>debe ser una hora en formato HH:MM, de 00:00 a 23:59</translation>
    </message>
    <message>
        <source>a number with thousands of digits</source>
        <translation>un número con miles de cifras</translation>
    </message>
    <message>
        <source>a table</source>
        <translation>una tabla</translation>
    </message>
    <message>
        <source>a list</source>
        <translation>una lista</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>nada</translation>
    </message>
    <message>
        <source>a {type}</source>
        <translation>un valor de tipo {type}</translation>
    </message>
    <message>
        <source>{key} must be true or false, got {value}</source>
        <translation>{key} debe ser true o false, pero es {value}</translation>
    </message>
    <message>
        <source>{key} must be text in quotes, got {value}</source>
        <translation>{key} debe ser un texto entre comillas, pero es {value}</translation>
    </message>
    <message>
        <source>{key} = {value} is not allowed: use one of {choices}</source>
        <translation>{key} = {value} no está permitido: usa uno de estos valores: {choices}</translation>
    </message>
    <message>
        <source>{key} = {value} {problem}</source>
        <translation>{key} = {value} {problem}</translation>
    </message>
    <message>
        <source>{key} must be a whole number (allowed {range}), got {value}</source>
        <translation>{key} debe ser un número entero (permitido: {range}), pero es {value}</translation>
    </message>
    <message>
        <source>{key} = {value} is out of range: allowed {range}{reason}</source>
        <translation>{key} = {value} está fuera de rango: se permite {range}{reason}</translation>
    </message>
    <message>
        <source>{label}: {value} is not allowed; use true or false.</source>
        <translation>{label}: {value} no está permitido; usa true o false.</translation>
    </message>
    <message>
        <source>{label}: {value} is not allowed; use text in quotes.</source>
        <translation>{label}: {value} no está permitido; usa texto entre comillas.</translation>
    </message>
    <message>
        <source>{label}: {value} is not allowed; use one of {choices}.</source>
        <translation>{label}: {value} no está permitido; usa uno de {choices}.</translation>
    </message>
    <message>
        <source>{label}: {value} {problem}.</source>
        <translation>{label}: {value} {problem}.</translation>
    </message>
    <message>
        <source>{label}: {value} is not allowed; use a whole number, {range}.</source>
        <translation>{label}: {value} no está permitido; usa un número entero, {range}.</translation>
    </message>
    <message>
        <source>{label}: {value} is not allowed; use {range}{reason}.</source>
        <translation>{label}: {value} no está permitido; usa {range}{reason}.</translation>
    </message>
    <message>
        <source>settings must be a table of keys, got {value}</source>
        <translation>la configuración debe ser una tabla de claves, pero es {value}</translation>
    </message>
    <message>
        <source>schema_version must be a whole number, got {value}</source>
        <translation>schema_version debe ser un número entero, pero es {value}</translation>
    </message>
    <message>
        <source>schema_version = {value} is newer than this NeckCare understands (up to {supported}); the file was probably written by a newer version</source>
        <translation>schema_version = {value} es más reciente de lo que entiende este NeckCare (hasta {supported}); probablemente el archivo lo escribió una versión más nueva</translation>
    </message>
    <message>
        <source>schema_version = {value} is invalid: versions start at 1</source>
        <translation>schema_version = {value} no es válido: las versiones empiezan en 1</translation>
    </message>
    <message>
        <source>unknown setting {key} in {section}</source>
        <translation>ajuste desconocido {key} en {section}</translation>
    </message>
    <message>
        <source>unknown setting {key} in the file</source>
        <translation>ajuste desconocido {key} en el archivo</translation>
    </message>
    <message>
        <source>{key} is set more than once</source>
        <translation>{key} aparece más de una vez</translation>
    </message>
    <message>
        <source>{key} must be a table ([{key}]), got {value}</source>
        <translation>{key} debe ser una tabla ([{key}]), pero es {value}</translation>
    </message>
    <message>
        <source>unknown setting {key}</source>
        <translation>ajuste desconocido {key}</translation>
    </message>
    <message>
        <source>a named pipe (FIFO)</source>
        <translation>una tubería con nombre (FIFO)</translation>
    </message>
    <message>
        <source>a folder</source>
        <translation>una carpeta</translation>
    </message>
    <message>
        <source>a device</source>
        <translation>un dispositivo</translation>
    </message>
    <message>
        <source>a socket</source>
        <translation>un socket</translation>
    </message>
    <message>
        <source>a special file</source>
        <translation>un archivo especial</translation>
    </message>
    <message>
        <source>Could not read {path}: {reason}.</source>
        <translation>No se pudo leer {path}: {reason}.</translation>
    </message>
    <message>
        <source>NeckCare is running on default settings.</source>
        <translation>NeckCare funciona con la configuración predeterminada.</translation>
    </message>
    <message>
        <source>{path} is {size} MB, larger than a settings file can be ({limit} MB at most).</source>
        <translation>{path} ocupa {size} MB, más de lo que puede ocupar un archivo de configuración ({limit} MB como máximo).</translation>
    </message>
    <message>
        <source>{path} is {kind}, not a regular file.</source>
        <translation>{path} es {kind}, no un archivo normal.</translation>
    </message>
    <message>
        <source>NeckCare does not read {path}, copy it or write over it. Move it away or put your settings file in its place.</source>
        <translation>NeckCare no lee {path}, no lo copia y no lo sobrescribe. Muévelo a otro sitio o pon tu archivo de configuración en su lugar.</translation>
    </message>
    <message>
        <source>NeckCare runs on default settings; it does not read {path}, copy it or write over it. Move it away or put your settings file in its place.</source>
        <translation>NeckCare funciona con la configuración predeterminada; no lee {path}, no lo copia y no lo sobrescribe. Muévelo a otro sitio o pon tu archivo de configuración en su lugar.</translation>
    </message>
    <message>
        <source>it could not be read ({reason}), so NeckCare does not write over it</source>
        <translation>no se pudo leer ({reason}), así que NeckCare no lo sobrescribe</translation>
    </message>
    <message>
        <source>it is larger than a settings file can be ({limit} MB at most); move it away, then save again</source>
        <translation>ocupa más de lo que puede ocupar un archivo de configuración ({limit} MB como máximo); muévelo a otro sitio y vuelve a guardar</translation>
    </message>
    <message>
        <source>it is {kind}, not a regular file; move it away, then save again</source>
        <translation>es {kind}, no un archivo normal; muévelo a otro sitio y vuelve a guardar</translation>
    </message>
    <message>
        <source>{path} is not UTF-8 text (unexpected byte 0x{byte} on line {line}); save it as UTF-8.</source>
        <translation>{path} no es texto UTF-8 (byte inesperado 0x{byte} en la línea {line}); guárdalo como UTF-8.</translation>
    </message>
    <message>
        <source>{path} is not valid TOML: {error}.</source>
        <translation>{path} no es TOML válido: {error}.</translation>
    </message>
    <message>
        <source>NeckCare started with defaults for these settings and yours for the rest; {path} was left as it is, but a backup copy could not be made: {reason}.</source>
        <translation>NeckCare empezó con los valores predeterminados para estos ajustes y los tuyos para el resto; {path} se dejó como estaba, pero no se pudo hacer una copia de seguridad: {reason}.</translation>
    </message>
    <message>
        <source>NeckCare started with defaults for these settings and yours for the rest; {path} was left as it is and a copy was saved as {backup}.</source>
        <translation>NeckCare empezó con los valores predeterminados para estos ajustes y los tuyos para el resto; {path} se dejó como estaba y se guardó una copia como {backup}.</translation>
    </message>
    <message>
        <source>{path} was left as it is, but a backup copy could not be made: {reason}.</source>
        <translation>{path} no se ha modificado, pero no se pudo hacer una copia de seguridad: {reason}.</translation>
    </message>
    <message>
        <source>NeckCare is running on default settings; {path} was left as it is, but a backup copy could not be made: {reason}.</source>
        <translation>NeckCare funciona con la configuración predeterminada; {path} no se ha modificado, pero no se pudo hacer una copia de seguridad: {reason}.</translation>
    </message>
    <message>
        <source>{path} was left as it is and a copy was saved as {backup}.</source>
        <translation>{path} no se ha modificado y se guardó una copia como {backup}.</translation>
    </message>
    <message>
        <source>NeckCare is running on default settings; {path} was left as it is and a copy was saved as {backup}.</source>
        <translation>NeckCare funciona con la configuración predeterminada; {path} no se ha modificado y se guardó una copia como {backup}.</translation>
    </message>
    <message>
        <source>it has problems NeckCare does not fix by itself; saving from Settings… replaces it</source>
        <translation>tiene problemas que NeckCare no corrige por su cuenta; guardar desde Configuración… lo reemplaza</translation>
    </message>
    <message>
        <source>a copy of its content could not be kept ({reason}), so NeckCare does not write over it</source>
        <translation>no se pudo guardar una copia de su contenido ({reason}), así que NeckCare no lo sobrescribe</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Micro-breaks</source>
        <translation>Micropausas</translation>
    </message>
    <message>
        <source>Posture breaks</source>
        <translation>Pausas posturales</translation>
    </message>
    <message>
        <source>Breaks</source>
        <translation>Pausas</translation>
    </message>
    <message>
        <source>Working hours</source>
        <translation>Horario laboral</translation>
    </message>
    <message>
        <source>Water</source>
        <translation>Agua</translation>
    </message>
    <message>
        <source>Ice and heat</source>
        <translation>Hielo y calor</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Notificaciones</translation>
    </message>
    <message>
        <source>Guidance</source>
        <translation>Orientación</translation>
    </message>
    <message>
        <source>Application</source>
        <translation>Aplicación</translation>
    </message>
    <message>
        <source>Interruptions</source>
        <translation>Interrupciones</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Horario</translation>
    </message>
    <message>
        <source>General</source>
        <translation>General</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Usar el del sistema</translation>
    </message>
    <message>
        <source>Settings — NeckCare</source>
        <translation>Configuración — NeckCare</translation>
    </message>
    <message>
        <source>Start NeckCare when I log in</source>
        <translation>Iniciar NeckCare al entrar en la sesión</translation>
    </message>
    <message>
        <source>Settings problem</source>
        <translation>Problema con la configuración</translation>
    </message>
    <message>
        <source>{problem} When you leave the field it becomes {value}.</source>
        <translation>{problem} Al salir del campo pasará a {value}.</translation>
    </message>
    <message>
        <source>Allowed: {range}</source>
        <translation>Permitido: {range}</translation>
    </message>
    <message>
        <source>Test sound</source>
        <translation>Probar sonido</translation>
    </message>
    <message>
        <source>Plays the break sound at this volume.</source>
        <translation>Reproduce el sonido de pausa a este volumen.</translation>
    </message>
    <message>
        <source>Could not save settings to {path}: {reason}. Your changes are still in this window.</source>
        <translation>No se pudo guardar la configuración en {path}: {reason}. Tus cambios siguen en esta ventana.</translation>
    </message>
    <message>
        <source>Settings were saved, but starting at login could not be changed: {reason}</source>
        <translation>Se guardó la configuración, pero no se pudo cambiar el inicio al entrar en la sesión: {reason}</translation>
    </message>
    <message>
        <source>Exercises</source>
        <translation>Ejercicios</translation>
    </message>
</context>
<context>
    <name>SettingsWatcher</name>
    <message>
        <source>Settings file has problems</source>
        <translation>El archivo de configuración tiene problemas</translation>
    </message>
    <message>
        <source>…and {n} more.</source>
        <translation>…y {n} más.</translation>
    </message>
    <message>
        <source>NeckCare keeps the settings it was using.</source>
        <translation>NeckCare mantiene la configuración que estaba usando.</translation>
    </message>
</context>
<context>
    <name>SpasmDialog</name>
    <message>
        <source>Problem saving</source>
        <translation>Problema al guardar</translation>
    </message>
    <message>
        <source>Log a neck spasm — NeckCare</source>
        <translation>Registrar un espasmo en el cuello — NeckCare</translation>
    </message>
    <message>
        <source>Write it down so you can see patterns over time. Only the pain score is needed; everything else is optional.</source>
        <translation>Anótalo para ver patrones con el tiempo. Solo hace falta la puntuación del dolor; todo lo demás es opcional.</translation>
    </message>
    <message>
        <source>When did it start?</source>
        <translation>¿Cuándo empezó?</translation>
    </message>
    <message>
        <source>&amp;Just now</source>
        <translation>&amp;Justo ahora</translation>
    </message>
    <message>
        <source>Earlier &amp;today at</source>
        <translation>Antes, &amp;hoy a las</translation>
    </message>
    <message>
        <source>&amp;Yesterday at</source>
        <translation>A&amp;yer a las</translation>
    </message>
    <message>
        <source>O&amp;n</source>
        <translation>E&amp;l día</translation>
    </message>
    <message>
        <source>Start time today</source>
        <translation>Hora de inicio de hoy</translation>
    </message>
    <message>
        <source>Start time yesterday</source>
        <translation>Hora de inicio de ayer</translation>
    </message>
    <message>
        <source>Start date and time</source>
        <translation>Fecha y hora de inicio</translation>
    </message>
    <message>
        <source>Problem with the start time</source>
        <translation>Problema con la hora de inicio</translation>
    </message>
    <message>
        <source>How strong is the pain?</source>
        <translation>¿Cuánto duele?</translation>
    </message>
    <message>
        <source>Problem with the pain score</source>
        <translation>Problema con la puntuación del dolor</translation>
    </message>
    <message>
        <source>What might have set it off? (optional)</source>
        <translation>¿Qué pudo desencadenarlo? (opcional)</translation>
    </message>
    <message>
        <source>Along with it, did you notice any of these?</source>
        <translation>¿Notaste además alguna de estas cosas?</translation>
    </message>
    <message>
        <source>If you tick one, NeckCare will suggest talking to a healthcare professional.</source>
        <translation>Si marcas alguna, NeckCare te sugerirá hablar con un profesional de la salud.</translation>
    </message>
    <message>
        <source>Get medical care promptly</source>
        <translation>Busca atención médica sin demora</translation>
    </message>
    <message>
        <source>N&amp;ote (optional)</source>
        <translation>N&amp;ota (opcional)</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Nota</translation>
    </message>
    <message>
        <source>Anything you want to remember about it</source>
        <translation>Lo que quieras recordar sobre él</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Guardar</translation>
    </message>
    <message>
        <source>Save this spasm</source>
        <translation>Guardar este espasmo</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Close without saving</source>
        <translation>Cerrar sin guardar</translation>
    </message>
    <message>
        <source>Update a neck spasm — NeckCare</source>
        <translation>Actualizar un espasmo en el cuello — NeckCare</translation>
    </message>
    <message>
        <source>The spasm being updated</source>
        <translation>El espasmo que se actualiza</translation>
    </message>
    <message>
        <source>Suggestion for this phase</source>
        <translation>Sugerencia para esta fase</translation>
    </message>
    <message>
        <source>How strong is the pain now?</source>
        <translation>¿Cuánto duele ahora?</translation>
    </message>
    <message>
        <source>&amp;Save pain</source>
        <translation>&amp;Guardar dolor</translation>
    </message>
    <message>
        <source>Save the new pain score</source>
        <translation>Guardar la nueva puntuación del dolor</translation>
    </message>
    <message>
        <source>&amp;Mark as resolved</source>
        <translation>&amp;Marcar como resuelto</translation>
    </message>
    <message>
        <source>Mark this spasm as resolved</source>
        <translation>Marcar este espasmo como resuelto</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <source>This spasm is no longer in the history.</source>
        <translation>Este espasmo ya no está en el historial.</translation>
    </message>
    <message>
        <source>Spasm since {start}, pain {pain} at the start</source>
        <translation>Espasmo desde el {start}, dolor {pain} al inicio</translation>
    </message>
    <message>
        <source>, {pain} at the last update</source>
        <translation>, {pain} en la última actualización</translation>
    </message>
    <message>
        <source>This spasm is already marked as resolved.</source>
        <translation>Este espasmo ya está marcado como resuelto.</translation>
    </message>
    <message>
        <source>Choose how strong the pain is, from 0 (no pain) to 10 (worst).</source>
        <translation>Elige cuánto duele, de 0 (sin dolor) a 10 (el peor).</translation>
    </message>
    <message>
        <source>The pain score must be a whole number from 0 to 10; &quot;{text}&quot; is not.</source>
        <translation>La puntuación del dolor debe ser un número entero de 0 a 10; &quot;{text}&quot; no lo es.</translation>
    </message>
    <message>
        <source>The start, {when}, is later than now. Choose a time that has already passed.</source>
        <translation>El inicio, {when}, es posterior a este momento. Elige una hora que ya haya pasado.</translation>
    </message>
    <message>
        <source>The start, {when}, is more than a year ago. Choose a date within the last year.</source>
        <translation>El inicio, {when}, fue hace más de un año. Elige una fecha del último año.</translation>
    </message>
    <message>
        <source>Not saved. {reason}</source>
        <translation>No se guardó. {reason}</translation>
    </message>
</context>
<context>
    <name>StatusPresenter</name>
    <message>
        <source>Start ice</source>
        <translation>Aplicar hielo</translation>
    </message>
    <message>
        <source>Start heat</source>
        <translation>Aplicar calor</translation>
    </message>
    <message>
        <source>Start ice (%1 min)</source>
        <translation>Aplicar hielo (%1 min)</translation>
    </message>
    <message>
        <source>Start heat (%1 min)</source>
        <translation>Aplicar calor (%1 min)</translation>
    </message>
    <message>
        <source>Start ice (rest: %1 min left)</source>
        <translation>Aplicar hielo (descanso: faltan %1 min)</translation>
    </message>
</context>
<context>
    <name>StatusWindow</name>
    <message>
        <source>NeckCare</source>
        <translation>NeckCare</translation>
    </message>
    <message>
        <source>No system tray was found on this desktop, so NeckCare shows its controls in this window. Closing it minimizes it; use Quit to stop NeckCare.</source>
        <translation>No se encontró una bandeja del sistema en este escritorio, así que NeckCare muestra sus controles en esta ventana. Al cerrarla se minimiza; usa Salir para cerrar NeckCare.</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Last message</source>
        <translation>Último mensaje</translation>
    </message>
    <message>
        <source>Pause reminders</source>
        <translation>Pausar recordatorios</translation>
    </message>
</context>
<context>
    <name>Stretch</name>
    <message>
        <source>20-20-20 eye rest</source>
        <translation>Descanso visual 20-20-20</translation>
    </message>
    <message>
        <source>Look at something at least 6 m (20 feet) away for 20 seconds. Let your eyes relax and keep your head still and comfortable.</source>
        <translation>Mira algo que esté al menos a 6 m (20 pies) durante 20 segundos. Deja que los ojos se relajen y mantén la cabeza quieta y cómoda.</translation>
    </message>
    <message>
        <source>Drop your shoulders</source>
        <translation>Baja los hombros</translation>
    </message>
    <message>
        <source>Let your shoulders sink away from your ears and breathe out slowly through your mouth. Take two or three calm breaths.</source>
        <translation>Deja que los hombros bajen, lejos de las orejas, y suelta el aire despacio por la boca. Haz dos o tres respiraciones tranquilas.</translation>
    </message>
    <message>
        <source>Blink and soften your gaze</source>
        <translation>Parpadea y suaviza la mirada</translation>
    </message>
    <message>
        <source>Blink slowly ten times, then let your gaze go soft without focusing on anything in particular. Unclench your jaw.</source>
        <translation>Parpadea despacio diez veces y luego deja la mirada suave, sin fijarla en nada en particular. Afloja la mandíbula.</translation>
    </message>
    <message>
        <source>Sit back, chin level</source>
        <translation>Espalda apoyada, barbilla recta</translation>
    </message>
    <message>
        <source>Slide your hips to the back of the chair and let the backrest support you. Keep your chin level, as if your head were balanced on top of your spine.</source>
        <translation>Lleva la cadera hasta el fondo de la silla y deja que el respaldo te sostenga. Mantén la barbilla recta, como si la cabeza estuviera en equilibrio sobre la columna.</translation>
    </message>
    <message>
        <source>Hands off the desk</source>
        <translation>Manos fuera del escritorio</translation>
    </message>
    <message>
        <source>Take your hands off the keyboard and mouse, rest them in your lap and let your arms hang heavy for a few breaths.</source>
        <translation>Quita las manos del teclado y del ratón, apóyalas en el regazo y deja los brazos pesados durante unas cuantas respiraciones.</translation>
    </message>
    <message>
        <source>Chin tuck</source>
        <translation>Retracción de la barbilla</translation>
    </message>
    <message>
        <source>Sit tall. Slowly draw your chin straight back, as if making a double chin, eyes level. Hold 5 seconds, then relax. Repeat 5 times. Stop if it hurts.</source>
        <translation>Siéntate con la espalda recta. Lleva despacio la barbilla hacia atrás, sin subirla ni bajarla, como si hicieras papada, con la mirada al frente. Mantén 5 segundos y relaja. Repite 5 veces. Detente si te duele.</translation>
    </message>
    <message>
        <source>Shoulder blade squeeze</source>
        <translation>Juntar los omóplatos</translation>
    </message>
    <message>
        <source>Sit or stand tall, arms relaxed. Gently draw your shoulder blades back and down towards each other, hold 5 seconds, then release. Repeat 5 times. Stop if it hurts.</source>
        <translation>Siéntate o ponte de pie con la espalda recta y los brazos relajados. Lleva con suavidad los omóplatos hacia atrás y hacia abajo, uno hacia el otro; mantén 5 segundos y suelta. Repite 5 veces. Detente si te duele.</translation>
    </message>
    <message>
        <source>Gentle side neck stretch</source>
        <translation>Estiramiento lateral suave del cuello</translation>
    </message>
    <message>
        <source>Sit tall, shoulders relaxed. Slowly tilt one ear towards your shoulder, only as far as is comfortable and with no hand on your head. Hold a light stretch for 15 seconds, breathing, then come back to the middle slowly and do the other side. Stop if it hurts.</source>
        <translation>Siéntate con la espalda recta y los hombros relajados. Inclina despacio una oreja hacia el hombro, solo hasta donde te resulte cómodo y sin apoyar la mano en la cabeza. Mantén un estiramiento ligero 15 segundos mientras respiras, vuelve despacio al centro y haz el otro lado. Detente si te duele.</translation>
    </message>
    <message>
        <source>Stand up and walk</source>
        <translation>Levántate y camina</translation>
    </message>
    <message>
        <source>Stand up and walk for a few minutes: fetch something, take the stairs or do a lap of the room. Let your arms swing loosely.</source>
        <translation>Levántate y camina unos minutos: ve a buscar algo, sube unas escaleras o da una vuelta por la habitación. Deja que los brazos se balanceen sueltos.</translation>
    </message>
    <message>
        <source>Doorway chest stretch</source>
        <translation>Estiramiento de pecho en el marco de la puerta</translation>
    </message>
    <message>
        <source>Stand in a doorway with your forearms on the frame at shoulder height or a little lower. Step one foot forward slowly until you feel a light stretch across your chest. Hold 15 to 20 seconds, breathing easily. Stop if it hurts.</source>
        <translation>Colócate en el hueco de una puerta con los antebrazos apoyados en el marco, a la altura de los hombros o un poco más abajo. Adelanta un pie despacio hasta notar un estiramiento ligero en el pecho. Mantén de 15 a 20 segundos, respirando con calma. Detente si te duele.</translation>
    </message>
    <message>
        <source>Slow shoulder rolls</source>
        <translation>Círculos lentos con los hombros</translation>
    </message>
    <message>
        <source>Keep your head still and level. Slowly roll just your shoulders up, back and down 5 times, then 5 times the other way. Stop if it hurts.</source>
        <translation>Mantén la cabeza quieta y recta. Mueve despacio solo los hombros hacia arriba, atrás y abajo 5 veces, y luego 5 veces en el otro sentido. Detente si te duele.</translation>
    </message>
    <message>
        <source>Drink a glass of water</source>
        <translation>Bebe un vaso de agua</translation>
    </message>
    <message>
        <source>Get up and fetch a glass of water. Muscles tighten more easily when you are short of water, and the walk there is a break in itself.</source>
        <translation>Levántate y ve a por un vaso de agua. Los músculos se tensan con más facilidad cuando te falta agua, y el paseo ya es una pausa en sí.</translation>
    </message>
    <message>
        <source>Standing arm hang</source>
        <translation>Brazos sueltos de pie</translation>
    </message>
    <message>
        <source>Stand up, let your arms hang loosely by your sides and take five slow breaths, letting your shoulders get heavier with each breath out.</source>
        <translation>Ponte de pie, deja los brazos colgando sueltos a los lados y haz cinco respiraciones lentas; deja que los hombros pesen más con cada exhalación.</translation>
    </message>
</context>
<context>
    <name>SummaryTexts</name>
    <message>
        <source>1 break taken</source>
        <translation>1 pausa hecha</translation>
    </message>
    <message>
        <source>{n} breaks taken</source>
        <translation>{n} pausas hechas</translation>
    </message>
    <message>
        <source>({completed} completed, {natural} while away)</source>
        <translation>(completadas: {completed}; en tu ausencia: {natural})</translation>
    </message>
    <message>
        <source>{n} postponed</source>
        <translation>pospuestas: {n}</translation>
    </message>
    <message>
        <source>{n} skipped</source>
        <translation>omitidas: {n}</translation>
    </message>
    <message>
        <source>Ice {minutes} min</source>
        <translation>Hielo {minutes} min</translation>
    </message>
    <message>
        <source>Heat {minutes} min</source>
        <translation>Calor {minutes} min</translation>
    </message>
    <message>
        <source>no spasms logged</source>
        <translation>ningún espasmo registrado</translation>
    </message>
    <message>
        <source>1 spasm (pain {pain})</source>
        <translation>1 espasmo (dolor {pain})</translation>
    </message>
    <message>
        <source>{n} spasms (worst pain {pain})</source>
        <translation>{n} espasmos (peor dolor {pain})</translation>
    </message>
    <message>
        <source>Last {days} days:</source>
        <translation>Últimos {days} días:</translation>
    </message>
    <message>
        <source>No streak yet: a day with at least {goal} breaks starts one.</source>
        <translation>Todavía no hay racha: un día con al menos {goal} pausas empieza una.</translation>
    </message>
    <message>
        <source>1 working day in a row with at least {goal} breaks</source>
        <translation>1 día laborable seguido con al menos {goal} pausas</translation>
    </message>
    <message>
        <source>{n} working days in a row with at least {goal} breaks</source>
        <translation>{n} días laborables seguidos con al menos {goal} pausas</translation>
    </message>
    <message>
        <source>1 day in a row with at least {goal} breaks</source>
        <translation>1 día seguido con al menos {goal} pausas</translation>
    </message>
    <message>
        <source>{n} days in a row with at least {goal} breaks</source>
        <translation>{n} días seguidos con al menos {goal} pausas</translation>
    </message>
    <message>
        <source>Pain: none logged in these {days} days (no data).</source>
        <translation>Dolor: ningún valor registrado en estos {days} días (sin datos).</translation>
    </message>
    <message>
        <source>Pain: 1 value logged, {pain} of 10, on 1 of {days} days; no pain logged (no data) on {without} days.</source>
        <translation>Dolor: 1 valor registrado, {pain} de 10, en 1 de {days} días; ningún valor de dolor registrado (sin datos) en {without} días.</translation>
    </message>
    <message>
        <source>Pain: {n} values logged on {with_pain} of {days} days, from {low} to {high} of 10; no pain logged (no data) on {without} days.</source>
        <translation>Dolor: {n} valores registrados en {with_pain} de {days} días, de {low} a {high} de 10; ningún valor de dolor registrado (sin datos) en {without} días.</translation>
    </message>
    <message>
        <source>Breaks: none recorded in these {days} days (no data).</source>
        <translation>Pausas: ninguna registrada en estos {days} días (sin datos).</translation>
    </message>
    <message>
        <source>Breaks: {taken} taken of {due} due, on {with_breaks} days; no breaks recorded (no data) on {without} days.</source>
        <translation>Pausas: {taken} hechas de {due} previstas, en {with_breaks} días; ninguna pausa registrada (sin datos) en {without} días.</translation>
    </message>
    <message>
        <source>Ice: none.</source>
        <translation>Hielo: ninguna sesión.</translation>
    </message>
    <message>
        <source>Ice: 1 round, {minutes} min.</source>
        <translation>Hielo: 1 sesión, {minutes} min.</translation>
    </message>
    <message>
        <source>Ice: {n} rounds, {minutes} min.</source>
        <translation>Hielo: {n} sesiones, {minutes} min.</translation>
    </message>
    <message>
        <source>Heat: none.</source>
        <translation>Calor: ninguna sesión.</translation>
    </message>
    <message>
        <source>Heat: 1 round, {minutes} min.</source>
        <translation>Calor: 1 sesión, {minutes} min.</translation>
    </message>
    <message>
        <source>Heat: {n} rounds, {minutes} min.</source>
        <translation>Calor: {n} sesiones, {minutes} min.</translation>
    </message>
    <message>
        <source>pain {values}</source>
        <translation>dolor {values}</translation>
    </message>
    <message>
        <source>no pain logged</source>
        <translation>ningún valor de dolor</translation>
    </message>
    <message>
        <source>{taken} of {due} breaks taken</source>
        <translation>{taken} de {due} pausas hechas</translation>
    </message>
    <message>
        <source>no breaks recorded</source>
        <translation>ninguna pausa registrada</translation>
    </message>
    <message>
        <source>{day}: {facts}</source>
        <translation>{day}: {facts}</translation>
    </message>
    <message>
        <source>Last {days} days.</source>
        <translation>Últimos {days} días.</translation>
    </message>
    <message>
        <source>no ice</source>
        <translation>sin hielo</translation>
    </message>
    <message>
        <source>ice 1 round ({minutes} min)</source>
        <translation>hielo: 1 sesión ({minutes} min)</translation>
    </message>
    <message>
        <source>ice {n} rounds ({minutes} min)</source>
        <translation>hielo: {n} sesiones ({minutes} min)</translation>
    </message>
    <message>
        <source>no heat</source>
        <translation>sin calor</translation>
    </message>
    <message>
        <source>heat 1 round ({minutes} min)</source>
        <translation>calor: 1 sesión ({minutes} min)</translation>
    </message>
    <message>
        <source>heat {n} rounds ({minutes} min)</source>
        <translation>calor: {n} sesiones ({minutes} min)</translation>
    </message>
</context>
<context>
    <name>SwitchAlert</name>
    <message>
        <source>Put the ice back on — NeckCare</source>
        <translation>Vuelve a poner el hielo — NeckCare</translation>
    </message>
    <message>
        <source>Take the ice off — NeckCare</source>
        <translation>Retira el hielo — NeckCare</translation>
    </message>
    <message>
        <source>Put the ice back on</source>
        <translation>Vuelve a poner el hielo</translation>
    </message>
    <message>
        <source>Take the ice off</source>
        <translation>Retira el hielo</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Hecho</translation>
    </message>
    <message>
        <source>Part %1 of %2 of the ice session started at %3.</source>
        <translation>Parte %1 de %2 de la sesión de hielo iniciada a las %3.</translation>
    </message>
    <message>
        <source>Ice session started at %1.</source>
        <translation>Sesión de hielo iniciada a las %1.</translation>
    </message>
</context>
<context>
    <name>Text</name>
    <message>
        <source>{first} and {last}</source>
        <translation>{first} y {last}</translation>
    </message>
</context>
<context>
    <name>Therapy</name>
    <message>
        <source>Ice</source>
        <translation>Hielo</translation>
    </message>
    <message>
        <source>Heat</source>
        <translation>Calor</translation>
    </message>
    <message>
        <source>Wrap the ice pack in a thin cloth. If your skin has reduced feeling (for example from diabetes), check it every few minutes.</source>
        <translation>Envuelve la bolsa de hielo en un paño fino. Si tienes la piel con menos sensibilidad (por ejemplo, por diabetes), revísala cada pocos minutos.</translation>
    </message>
    <message>
        <source>Warm, not hot; don&apos;t fall asleep on a heating pad. If your skin has reduced feeling (for example from diabetes), check it every few minutes.</source>
        <translation>Tibio, no caliente; no te duermas sobre una almohadilla térmica. Si tienes la piel con menos sensibilidad (por ejemplo, por diabetes), revísala cada pocos minutos.</translation>
    </message>
    <message>
        <source>Take the ice pack off now and let your skin warm up.</source>
        <translation>Retira ya la bolsa de hielo y deja que la piel recupere su temperatura.</translation>
    </message>
    <message>
        <source>Take the heat off now.</source>
        <translation>Retira ya el calor.</translation>
    </message>
    <message>
        <source>Ice has been on since {since}: take it off now and let your skin warm up.</source>
        <translation>Tienes hielo puesto desde las {since}: retíralo ya y deja que la piel recupere su temperatura.</translation>
    </message>
    <message>
        <source>Heat has been on since {since}: take it off now.</source>
        <translation>Tienes calor puesto desde las {since}: retíralo ya.</translation>
    </message>
    <message>
        <source>Put the ice back on, wrapped in a cloth, for the last {minutes} minutes.</source>
        <translation>Vuelve a poner el hielo, envuelto en un paño, durante los últimos {minutes} minutos.</translation>
    </message>
    <message>
        <source>Take the ice off now and let your skin warm up. NeckCare will tell you when to put it back on, in {minutes} minutes.</source>
        <translation>Retira ya el hielo y deja que la piel recupere su temperatura. NeckCare te avisará cuando toque volver a ponerlo, dentro de {minutes} minutos.</translation>
    </message>
    <message>
        <source>Halfway through the heat</source>
        <translation>A mitad de la sesión de calor</translation>
    </message>
    <message>
        <source>Warm, not hot; don&apos;t fall asleep on it. Check your skin now: if it looks very red or feels sore, take the heat off.</source>
        <translation>Tibio, no caliente; no te duermas encima. Revisa ahora la piel: si está muy roja o te duele, retira el calor.</translation>
    </message>
    <message>
        <source>Warm, not hot; don&apos;t fall asleep on it.</source>
        <translation>Tibio, no caliente; no te duermas encima.</translation>
    </message>
    <message>
        <source>Halfway through the ice: check your skin</source>
        <translation>A mitad de la sesión de hielo: revisa la piel</translation>
    </message>
    <message>
        <source>Lift the pack and look at your skin. If it feels numb, or looks white or very red, take the ice off now.</source>
        <translation>Levanta la bolsa y mírate la piel. Si la notas entumecida, o se ve blanca o muy roja, retira ya el hielo.</translation>
    </message>
    <message>
        <source>The rest between ice rounds must be {low}–{high} minutes, got {n}.</source>
        <translation>El descanso entre sesiones de hielo debe ser de {low}–{high} minutos, pero es {n}.</translation>
    </message>
    <message>
        <source>You asked for extra care for your skin, so ice is capped at {high} minutes a round. Choose 1–{high} minutes, or change it in Settings.</source>
        <translation>Pediste un cuidado extra para tu piel, así que el hielo tiene un límite de {high} minutos por sesión. Elige de 1 a {high} minutos, o cámbialo en Configuración.</translation>
    </message>
    <message>
        <source>You asked for extra care for your skin, so heat is capped at {high} minutes a session. Choose 1–{high} minutes, or change it in Settings.</source>
        <translation>Pediste un cuidado extra para tu piel, así que el calor tiene un límite de {high} minutos por sesión. Elige de 1 a {high} minutos, o cámbialo en Configuración.</translation>
    </message>
    <message>
        <source>Ice minutes must be a whole number from {low} to {high}.</source>
        <translation>Los minutos de hielo deben ser un número entero de {low} a {high}.</translation>
    </message>
    <message>
        <source>Heat minutes must be a whole number from {low} to {high}.</source>
        <translation>Los minutos de calor deben ser un número entero de {low} a {high}.</translation>
    </message>
    <message>
        <source>Ice is capped at {high} minutes a round: longer risks cold injury to the skin. Choose {low}–{high} minutes.</source>
        <translation>El hielo tiene un límite de {high} minutos por sesión: más tiempo puede dañar la piel por el frío. Elige de {low} a {high} minutos.</translation>
    </message>
    <message>
        <source>Ice minutes must be from {low} to {high}, got {n}.</source>
        <translation>Los minutos de hielo deben estar entre {low} y {high}, pero son {n}.</translation>
    </message>
    <message>
        <source>Heat minutes must be from {low} to {high}, got {n}.</source>
        <translation>Los minutos de calor deben estar entre {low} y {high}, pero son {n}.</translation>
    </message>
    <message>
        <source>Ice is already running. Stop it before starting ice.</source>
        <translation>Ya hay hielo en curso. Detenlo antes de empezar otra sesión de hielo.</translation>
    </message>
    <message>
        <source>Ice is already running. Stop it before starting heat.</source>
        <translation>Ya hay hielo en curso. Detenlo antes de aplicar calor.</translation>
    </message>
    <message>
        <source>Heat is already running. Stop it before starting ice.</source>
        <translation>Ya hay calor en curso. Detenlo antes de aplicar hielo.</translation>
    </message>
    <message>
        <source>Heat is already running. Stop it before starting heat.</source>
        <translation>Ya hay calor en curso. Detenlo antes de empezar otra sesión de calor.</translation>
    </message>
    <message>
        <source>Only ice has a 10 on · 10 off · 10 on session.</source>
        <translation>Solo el hielo tiene la sesión de 10 con · 10 sin · 10 con.</translation>
    </message>
    <message>
        <source>An intermittent ice session is always 10 minutes on, 10 off, 10 on: choose it or a number of minutes, not both.</source>
        <translation>Una sesión intermitente de hielo son siempre 10 minutos con hielo, 10 sin y 10 con: elige esa sesión o un número de minutos, no ambas cosas.</translation>
    </message>
    <message>
        <source>Your skin is still resting after the last ice round: ice again in {minutes} min. Start another round anyway?</source>
        <translation>Tu piel todavía está descansando después de la última sesión de hielo: hielo de nuevo en {minutes} min. ¿Empezar otra sesión de todos modos?</translation>
    </message>
    <message>
        <source>Skin going numb is a sign to stop ice. For heat, use Stop, and take the heat off if it feels wrong.</source>
        <translation>Que la piel se entumezca es señal de que hay que detener el hielo. Con calor, usa Detener temporizador y retira el calor si notas algo raro.</translation>
    </message>
    <message>
        <source>No ice or heat timer is running.</source>
        <translation>No hay ningún temporizador de hielo o calor en curso.</translation>
    </message>
</context>
<context>
    <name>TherapyAlert</name>
    <message>
        <source>Ice time is up — NeckCare</source>
        <translation>Se acabó el tiempo de hielo — NeckCare</translation>
    </message>
    <message>
        <source>Heat time is up — NeckCare</source>
        <translation>Se acabó el tiempo de calor — NeckCare</translation>
    </message>
    <message>
        <source>Ice time is up</source>
        <translation>Se acabó el tiempo de hielo</translation>
    </message>
    <message>
        <source>Heat time is up</source>
        <translation>Se acabó el tiempo de calor</translation>
    </message>
    <message numerus="yes">
        <source>%1 min of ice in %n parts, started at %2.</source>
        <translation>
            <numerusform>%1 min de hielo en %n parte, desde las %2.</numerusform>
            <numerusform>%1 min de hielo en %n partes, desde las %2.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 min of ice, started at %2.</source>
        <translation>%1 min de hielo, desde las %2.</translation>
    </message>
    <message>
        <source>%1 min of heat, started at %2.</source>
        <translation>%1 min de calor, desde las %2.</translation>
    </message>
    <message>
        <source>I&apos;ve taken it off</source>
        <translation>Ya está retirado</translation>
    </message>
</context>
<context>
    <name>TherapyAlerts</name>
    <message>
        <source>Ice started</source>
        <translation>Hielo iniciado</translation>
    </message>
    <message>
        <source>Heat started</source>
        <translation>Calor iniciado</translation>
    </message>
</context>
<context>
    <name>TherapyIntents</name>
    <message>
        <source>Your answers could not be saved</source>
        <translation>No se pudieron guardar tus respuestas</translation>
    </message>
    <message>
        <source>They apply until NeckCare quits; you will be asked again next time. %1</source>
        <translation>Se aplican hasta que NeckCare se cierre; la próxima vez se te volverá a preguntar. %1</translation>
    </message>
    <message>
        <source>Ice stopped: your skin is numb</source>
        <translation>Hielo detenido: tienes la piel entumecida</translation>
    </message>
    <message>
        <source>Leave the ice off and let your skin warm up slowly at room temperature, without heat. If the feeling does not come back, get it checked.</source>
        <translation>No vuelvas a poner el hielo y deja que la piel recupere su temperatura poco a poco, a temperatura ambiente y sin calor. Si no recuperas la sensibilidad, haz que te la revisen.</translation>
    </message>
</context>
<context>
    <name>TimeScale</name>
    <message>
        <source>{variable} must be a number greater than 0 and at most {maximum}, got {value}.</source>
        <translation>{variable} debe ser un número mayor que 0 y como máximo {maximum}, no {value}.</translation>
    </message>
    <message>
        <source>{variable} must be a number such as 60 (one minute lasts one second), got {value}.</source>
        <translation>{variable} debe ser un número como 60 (un minuto dura un segundo), no {value}.</translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <source>Pause reminders</source>
        <translation>Pausar recordatorios</translation>
    </message>
</context>
<context>
    <name>Trigger</name>
    <message>
        <source>Awkward sleep</source>
        <translation>Mala postura al dormir</translation>
    </message>
    <message>
        <source>Repetitive strain</source>
        <translation>Esfuerzo repetitivo</translation>
    </message>
    <message>
        <source>Stress</source>
        <translation>Estrés</translation>
    </message>
    <message>
        <source>Posture at the screen</source>
        <translation>Postura frente a la pantalla</translation>
    </message>
    <message>
        <source>Looking down at a phone</source>
        <translation>Mirar el teléfono hacia abajo</translation>
    </message>
    <message>
        <source>Lifting or a sudden movement</source>
        <translation>Levantar peso o un movimiento brusco</translation>
    </message>
    <message>
        <source>Not drinking enough</source>
        <translation>Beber poca agua</translation>
    </message>
</context>
<context>
    <name>WarningSign</name>
    <message>
        <source>Headache</source>
        <translation>Dolor de cabeza</translation>
    </message>
    <message>
        <source>Dizziness</source>
        <translation>Mareo</translation>
    </message>
    <message>
        <source>Numbness or tingling in the arms</source>
        <translation>Entumecimiento u hormigueo en los brazos</translation>
    </message>
    <message>
        <source>Fever with a stiff neck</source>
        <translation>Fiebre con rigidez de cuello</translation>
    </message>
    <message>
        <source>A severe or unusual headache</source>
        <translation>Dolor de cabeza intenso o poco habitual</translation>
    </message>
    <message>
        <source>Weakness or numbness in an arm</source>
        <translation>Debilidad o entumecimiento en un brazo</translation>
    </message>
    <message>
        <source>Changes in vision</source>
        <translation>Cambios en la visión</translation>
    </message>
</context>
<context>
    <name>_PainField</name>
    <message>
        <source>Pain, 0 to 10</source>
        <translation>Dolor, de 0 a 10</translation>
    </message>
    <message>
        <source>0–10</source>
        <translation>0–10</translation>
    </message>
    <message>
        <source>Pain score from 0 (no pain) to 10 (worst)</source>
        <translation>Puntuación del dolor de 0 (sin dolor) a 10 (el peor)</translation>
    </message>
    <message>
        <source>0 no pain</source>
        <translation>0 sin dolor</translation>
    </message>
    <message>
        <source>10 worst imaginable</source>
        <translation>10 el peor imaginable</translation>
    </message>
    <message>
        <source>no pain</source>
        <translation>sin dolor</translation>
    </message>
    <message>
        <source>mild</source>
        <translation>leve</translation>
    </message>
    <message>
        <source>moderate</source>
        <translation>moderado</translation>
    </message>
    <message>
        <source>severe</source>
        <translation>intenso</translation>
    </message>
    <message>
        <source>worst imaginable</source>
        <translation>el peor imaginable</translation>
    </message>
</context>
<context>
    <name>argparse</name>
    <message>
        <source>usage: </source>
        <translation>uso: </translation>
    </message>
    <message>
        <source>positional arguments</source>
        <translation>argumentos posicionales</translation>
    </message>
    <message>
        <source>options</source>
        <translation>opciones</translation>
    </message>
    <message>
        <source>show this help message and exit</source>
        <translation>mostrar este mensaje de ayuda y salir</translation>
    </message>
    <message>
        <source>argument %(argument_name)s: %(message)s</source>
        <translation>argumento %(argument_name)s: %(message)s</translation>
    </message>
    <message>
        <source>ambiguous option: %(option)s could match %(matches)s</source>
        <translation>opción ambigua: %(option)s puede ser %(matches)s</translation>
    </message>
    <message>
        <source>expected one argument</source>
        <translation>se esperaba un argumento</translation>
    </message>
    <message>
        <source>ignored explicit argument %r</source>
        <translation>se ignoró el argumento explícito %r</translation>
    </message>
    <message>
        <source>invalid choice: %(value)r (choose from %(choices)s)</source>
        <translation>opción no válida: %(value)r (elige entre %(choices)s)</translation>
    </message>
    <message>
        <source>the following arguments are required: %s</source>
        <translation>faltan estos argumentos: %s</translation>
    </message>
    <message>
        <source>unrecognized arguments: %s</source>
        <translation>argumentos no reconocidos: %s</translation>
    </message>
</context>
</TS>
