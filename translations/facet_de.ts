<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>AttachmentListModel</name>
    <message>
        <source>%1 · %2×%3 · %4</source>
        <translation>%1 · %2×%3 · %4</translation>
    </message>
    <message>
        <source>%1: there is no folder to keep pictures in (%2)</source>
        <translation>%1: Es gibt keinen Ordner für die Bilder (%2)</translation>
    </message>
</context>
<context>
    <name>AttachmentRow</name>
    <message>
        <source>Attached picture %1</source>
        <translation>Angehängtes Bild %1</translation>
    </message>
    <message>
        <source>Remove picture %1</source>
        <translation>Bild %1 entfernen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Checking pictures</source>
        <translation>Bilder werden geprüft</translation>
    </message>
</context>
<context>
    <name>ChatController</name>
    <message>
        <source>Conversations cannot be saved: %1</source>
        <translation>Unterhaltungen können nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>Could not load %1: %2</source>
        <translation>%1 konnte nicht geladen werden: %2</translation>
    </message>
    <message>
        <source>The pictures are still being checked; send again in a moment.</source>
        <translation>Die Bilder werden noch geprüft; senden Sie gleich noch einmal.</translation>
    </message>
    <message>
        <source>Picture</source>
        <translation>Bild</translation>
    </message>
    <message>
        <source>Could not save the conversation: %1</source>
        <translation>Die Unterhaltung konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>Unknown export format %1 (markdown or json)</source>
        <translation>Unbekanntes Exportformat %1 (markdown oder json)</translation>
    </message>
    <message>
        <source>Could not export to %1: %2</source>
        <translation>Export nach %1 fehlgeschlagen: %2</translation>
    </message>
    <message numerus="yes">
        <source>%n older message(s) were left out to fit the context.</source>
        <translation>
            <numerusform>%n ältere Nachricht wurde weggelassen, damit der Kontext reicht.</numerusform>
            <numerusform>%n ältere Nachrichten wurden weggelassen, damit der Kontext reicht.</numerusform>
        </translation>
    </message>
    <message>
        <source>The GPU stopped responding and %1 was unloaded; the answer so far is kept. Reload the model to go on. (%2)</source>
        <translation>Die GPU reagiert nicht mehr und %1 wurde entladen; die bisherige Antwort bleibt erhalten. Laden Sie das Modell neu, um fortzufahren. (%2)</translation>
    </message>
    <message>
        <source>The reply failed: %1</source>
        <translation>Die Antwort ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Deleted “%1”</source>
        <translation>„%1“ gelöscht</translation>
    </message>
    <message>
        <source>No document library at %1</source>
        <translation>Keine Dokumentbibliothek unter %1</translation>
    </message>
    <message>
        <source>Could not save the attached library: %1</source>
        <translation>Die angehängte Bibliothek konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>Could not save the attached libraries: %1</source>
        <translation>Die angehängten Bibliotheken konnten nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>Could not save the answer&apos;s sources: %1</source>
        <translation>Die Quellen der Antwort konnten nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>No passage in the attached libraries matched the question.</source>
        <translation>Keine Passage in den angehängten Bibliotheken passte zur Frage.</translation>
    </message>
    <message numerus="yes">
        <source>%n passage(s) were left out to fit the context.</source>
        <translation>
            <numerusform>%n Passage wurde weggelassen, damit der Kontext reicht.</numerusform>
            <numerusform>%n Passagen wurden weggelassen, damit der Kontext reicht.</numerusform>
        </translation>
    </message>
    <message>
        <source>Search notes: %1.</source>
        <translation>Suchhinweise: %1.</translation>
    </message>
    <message>
        <source>%1 is no longer there.</source>
        <translation>%1 ist nicht mehr vorhanden.</translation>
    </message>
    <message numerus="yes">
        <source>%n picture(s) encoded in %1 s</source>
        <translation>
            <numerusform>%n Bild in %1 s kodiert</numerusform>
            <numerusform>%n Bilder in %1 s kodiert</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 is a remote model: Facet sends remote models text only, so pictures cannot be attached. Pick a local model that sees images to chat about pictures.</source>
        <translation>%1 ist ein entferntes Modell: Facet sendet entfernten Modellen nur Text, daher lassen sich keine Bilder anhängen. Wählen Sie ein lokales Modell, das Bilder sieht, um über Bilder zu chatten.</translation>
    </message>
    <message>
        <source>%1 does not see pictures (%2). Get its image support with “Download image support” on the Models page (Ctrl+M), or pick a model that sees images.</source>
        <translation>%1 sieht keine Bilder (%2). Die Bildunterstützung erhalten Sie mit „Bildunterstützung herunterladen“ auf der Seite „Modelle“ (Ctrl+M), oder wählen Sie ein Modell, das Bilder sieht.</translation>
    </message>
    <message>
        <source>%1: only pictures on this computer can be attached</source>
        <translation>%1: Nur Bilder auf diesem Computer lassen sich anhängen</translation>
    </message>
    <message>
        <source>Pasted picture</source>
        <translation>Eingefügtes Bild</translation>
    </message>
    <message>
        <source>Could not keep the picture %1 with the conversation: %2</source>
        <translation>Das Bild %1 konnte nicht bei der Unterhaltung gespeichert werden: %2</translation>
    </message>
    <message numerus="yes">
        <source>%n picture(s) of this conversation were left out: %1 does not see pictures.</source>
        <translation>
            <numerusform>%n Bild dieser Unterhaltung wurde weggelassen: %1 sieht keine Bilder.</numerusform>
            <numerusform>%n Bilder dieser Unterhaltung wurden weggelassen: %1 sieht keine Bilder.</numerusform>
        </translation>
    </message>
    <message>
        <source>Pictures that could not be read were left out: %1.</source>
        <translation>Bilder, die sich nicht lesen ließen, wurden weggelassen: %1.</translation>
    </message>
    <message>
        <source>Could not use %1: %2</source>
        <translation>%1 konnte nicht verwendet werden: %2</translation>
    </message>
    <message>
        <source>remote models get text only</source>
        <translation>Entfernte Modelle erhalten nur Text</translation>
    </message>
    <message>
        <source>remote server</source>
        <translation>entfernter Server</translation>
    </message>
    <message>
        <source>The remote server %1 was removed, so its model is no longer in use. Choose another model.</source>
        <translation>Der entfernte Server %1 wurde entfernt, daher wird sein Modell nicht mehr verwendet. Wählen Sie ein anderes Modell.</translation>
    </message>
    <message>
        <source>There is no remote server for %1 any more</source>
        <translation>Für %1 gibt es keinen entfernten Server mehr</translation>
    </message>
    <message>
        <source>Could not read the API key of %1: %2</source>
        <translation>Der API-Schlüssel von %1 konnte nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>The attached documents were not searched: remote models answer from the conversation alone.</source>
        <translation>Die angehängten Dokumente wurden nicht durchsucht: Entfernte Modelle antworten nur aus der Unterhaltung.</translation>
    </message>
    <message numerus="yes">
        <source>%n picture(s) of this conversation were not sent: remote models get text only.</source>
        <translation>
            <numerusform>%n Bild dieser Unterhaltung wurde nicht gesendet: Entfernte Modelle erhalten nur Text.</numerusform>
            <numerusform>%n Bilder dieser Unterhaltung wurden nicht gesendet: Entfernte Modelle erhalten nur Text.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ChatHeader</name>
    <message>
        <source>Answering from:</source>
        <translation>Antwortet aus:</translation>
    </message>
    <message>
        <source>Library %1</source>
        <translation>Bibliothek %1</translation>
    </message>
    <message>
        <source>Detach</source>
        <translation>Lösen</translation>
    </message>
    <message>
        <source>Detach library %1</source>
        <translation>Bibliothek %1 lösen</translation>
    </message>
    <message>
        <source>Attach library…</source>
        <translation>Bibliothek anhängen…</translation>
    </message>
    <message>
        <source>Answer from the documents of an indexed library (Ctrl+L)</source>
        <translation>Aus den Dokumenten einer indizierten Bibliothek antworten (Ctrl+L)</translation>
    </message>
    <message>
        <source>Attach a document library</source>
        <translation>Dokumentbibliothek anhängen</translation>
    </message>
    <message>
        <source>Export conversation…</source>
        <translation>Unterhaltung exportieren…</translation>
    </message>
    <message>
        <source>Export conversation</source>
        <translation>Unterhaltung exportieren</translation>
    </message>
</context>
<context>
    <name>ChatPage</name>
    <message>
        <source>Rename conversation</source>
        <translation>Unterhaltung umbenennen</translation>
    </message>
    <message>
        <source>New title</source>
        <translation>Neuer Titel</translation>
    </message>
    <message>
        <source>Export conversation</source>
        <translation>Unterhaltung exportieren</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Attach a document library</source>
        <translation>Dokumentbibliothek anhängen</translation>
    </message>
    <message>
        <source>Document libraries (*.sqlite *.db)</source>
        <translation>Dokumentbibliotheken (*.sqlite *.db)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Attach pictures</source>
        <translation>Bilder anhängen</translation>
    </message>
    <message>
        <source>Pictures (*.png *.jpg *.jpeg *.webp *.gif *.bmp)</source>
        <translation>Bilder (*.png *.jpg *.jpeg *.webp *.gif *.bmp)</translation>
    </message>
    <message>
        <source>Drop pictures to attach them</source>
        <translation>Bilder zum Anhängen hier ablegen</translation>
    </message>
    <message>
        <source>Sidebar edge: drag to resize the sidebar</source>
        <translation>Rand der Seitenleiste: ziehen, um die Breite zu ändern</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <source>%1 on %2 · %3 tokens/s · context %4 / %5</source>
        <translation>%1 auf %2 · %3 Tokens/s · Kontext %4 / %5</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>Kein Modell geladen</translation>
    </message>
    <message>
        <source>Ask %1 anything.</source>
        <translation>Fragen Sie %1, was Sie möchten.</translation>
    </message>
    <message>
        <source>Open a model to start chatting.</source>
        <translation>Öffnen Sie ein Modell, um zu chatten.</translation>
    </message>
    <message>
        <source>Enter sends, Shift+Enter adds a line. Ctrl+L answers from a document library.</source>
        <translation>Enter sendet, Shift+Enter fügt eine Zeile ein. Ctrl+L antwortet aus einer Dokumentbibliothek.</translation>
    </message>
</context>
<context>
    <name>CodeBlock</name>
    <message>
        <source>Code block %1</source>
        <translation>Codeblock %1</translation>
    </message>
    <message>
        <source>code</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Copy code</source>
        <translation>Code kopieren</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Code</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>This model does not see pictures: %1</source>
        <translation>Dieses Modell sieht keine Bilder: %1</translation>
    </message>
    <message>
        <source>Attach pictures (Ctrl+Shift+A), or drop or paste them</source>
        <translation>Bilder anhängen (Ctrl+Shift+A), oder ablegen oder einfügen</translation>
    </message>
    <message>
        <source>Attach pictures</source>
        <translation>Bilder anhängen</translation>
    </message>
    <message>
        <source>Message (Enter sends, Shift+Enter adds a line)</source>
        <translation>Nachricht (Enter sendet, Shift+Enter fügt eine Zeile ein)</translation>
    </message>
    <message>
        <source>Open a model to start chatting</source>
        <translation>Öffnen Sie ein Modell, um zu chatten</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stopp</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <source>Stop generating</source>
        <translation>Generierung stoppen</translation>
    </message>
    <message>
        <source>Send message</source>
        <translation>Nachricht senden</translation>
    </message>
    <message>
        <source>Stop (Esc)</source>
        <translation>Stopp (Esc)</translation>
    </message>
    <message>
        <source>Send (Enter)</source>
        <translation>Senden (Enter)</translation>
    </message>
</context>
<context>
    <name>ConversationListModel</name>
    <message>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Gestern</translation>
    </message>
    <message>
        <source>Previous 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>Previous 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <source>Older</source>
        <translation>Älter</translation>
    </message>
</context>
<context>
    <name>DocumentLibrary</name>
    <message>
        <source>Keyword search only: no embedding model is set.</source>
        <translation>Nur Stichwortsuche: Es ist kein Embedding-Modell festgelegt.</translation>
    </message>
    <message>
        <source>Loading the embedding model…</source>
        <translation>Embedding-Modell wird geladen…</translation>
    </message>
    <message>
        <source>Embedding model not used: %1</source>
        <translation>Embedding-Modell nicht verwendet: %1</translation>
    </message>
    <message>
        <source>EmbeddingGemma in its reduced form (no dense head), on %1: semantic search works but ranks less well.</source>
        <translation>EmbeddingGemma in reduzierter Form (ohne Dense-Kopf) auf %1: Die semantische Suche funktioniert, ordnet aber weniger gut.</translation>
    </message>
    <message>
        <source>EmbeddingGemma on %1: hybrid keyword and semantic search.</source>
        <translation>EmbeddingGemma auf %1: hybride Stichwort- und semantische Suche.</translation>
    </message>
</context>
<context>
    <name>DocumentsDialog</name>
    <message>
        <source>Documents</source>
        <translation>Dokumente</translation>
    </message>
    <message>
        <source>Add a folder (watched for changes)</source>
        <translation>Ordner hinzufügen (auf Änderungen überwacht)</translation>
    </message>
    <message>
        <source>Choose an EmbeddingGemma model (.gguf)</source>
        <translation>EmbeddingGemma-Modell wählen (.gguf)</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF-Modelle (*.gguf)</translation>
    </message>
    <message>
        <source>Add documents</source>
        <translation>Dokumente hinzufügen</translation>
    </message>
    <message>
        <source>Documents (*.pdf *.docx *.odt *.epub *.html *.htm *.md *.txt)</source>
        <translation>Dokumente (*.pdf *.docx *.odt *.epub *.html *.htm *.md *.txt)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Alle Dateien (*)</translation>
    </message>
    <message>
        <source>New collection name</source>
        <translation>Neuer Name der Sammlung</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>Erstellen</translation>
    </message>
    <message>
        <source>Create collection</source>
        <translation>Sammlung erstellen</translation>
    </message>
    <message>
        <source>Collection %1</source>
        <translation>Sammlung %1</translation>
    </message>
    <message>
        <source>Create a collection, then add folders or drop files on it. Facet indexes them on this machine and answers with citations to file and page.</source>
        <translation>Legen Sie eine Sammlung an und fügen Sie dann Ordner hinzu oder legen Sie Dateien darauf ab. Facet indiziert sie auf diesem Rechner und antwortet mit Verweisen auf Datei und Seite.</translation>
    </message>
    <message>
        <source>Search by meaning</source>
        <translation>Nach Bedeutung suchen</translation>
    </message>
    <message>
        <source>Download…</source>
        <translation>Herunterladen…</translation>
    </message>
    <message>
        <source>Download EmbeddingGemma</source>
        <translation>EmbeddingGemma herunterladen</translation>
    </message>
    <message>
        <source>EmbeddingGemma 300M (about 330 MB) finds passages by meaning as well as by their words</source>
        <translation>EmbeddingGemma 300M (etwa 330 MB) findet Passagen nach Bedeutung wie nach Wörtern</translation>
    </message>
    <message>
        <source>Choose file…</source>
        <translation>Datei wählen…</translation>
    </message>
    <message>
        <source>Choose an embedding model file</source>
        <translation>Embedding-Modelldatei wählen</translation>
    </message>
    <message>
        <source>Keyword only</source>
        <translation>Nur Stichwörter</translation>
    </message>
    <message>
        <source>Stop using the embedding model</source>
        <translation>Embedding-Modell nicht mehr verwenden</translation>
    </message>
    <message>
        <source>Collection name</source>
        <translation>Name der Sammlung</translation>
    </message>
    <message>
        <source>Use in this chat</source>
        <translation>In diesem Chat verwenden</translation>
    </message>
    <message>
        <source>Answers in the current chat cite this collection</source>
        <translation>Antworten im aktuellen Chat zitieren diese Sammlung</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Delete collection</source>
        <translation>Sammlung löschen</translation>
    </message>
    <message>
        <source>Folders and files</source>
        <translation>Ordner und Dateien</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>Ordner hinzufügen…</translation>
    </message>
    <message>
        <source>Add a folder</source>
        <translation>Ordner hinzufügen</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>Dateien hinzufügen…</translation>
    </message>
    <message>
        <source>Add files</source>
        <translation>Dateien hinzufügen</translation>
    </message>
    <message>
        <source>Rescan</source>
        <translation>Neu einlesen</translation>
    </message>
    <message>
        <source>Rescan the collection now</source>
        <translation>Sammlung jetzt neu einlesen</translation>
    </message>
    <message>
        <source>Folder (watched): %1</source>
        <translation>Ordner (überwacht): %1</translation>
    </message>
    <message>
        <source>File: %1</source>
        <translation>Datei: %1</translation>
    </message>
    <message>
        <source>Remove %1 from the collection</source>
        <translation>%1 aus der Sammlung entfernen</translation>
    </message>
    <message>
        <source>Drop folders or files here</source>
        <translation>Ordner oder Dateien hier ablegen</translation>
    </message>
    <message>
        <source>Indexing progress</source>
        <translation>Indizierungsfortschritt</translation>
    </message>
    <message>
        <source>Paused at file %1 of %2</source>
        <translation>Pausiert bei Datei %1 von %2</translation>
    </message>
    <message>
        <source>Indexing file %1 of %2</source>
        <translation>Datei %1 von %2 wird indiziert</translation>
    </message>
    <message>
        <source> · %1 embeddings/s</source>
        <translation> · %1 Einbettungen/s</translation>
    </message>
    <message>
        <source>Resume indexing</source>
        <translation>Indizierung fortsetzen</translation>
    </message>
    <message>
        <source>Pause indexing</source>
        <translation>Indizierung pausieren</translation>
    </message>
    <message>
        <source>Skipped (%1)</source>
        <translation>Übersprungen (%1)</translation>
    </message>
    <message>
        <source>%1 skipped: %2</source>
        <translation>%1 übersprungen: %2</translation>
    </message>
    <message>
        <source>Delete this collection?</source>
        <translation>Diese Sammlung löschen?</translation>
    </message>
    <message>
        <source>Its index is deleted. Your files are not touched.</source>
        <translation>Ihr Index wird gelöscht. Ihre Dateien bleiben unberührt.</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n Datei</numerusform>
            <numerusform>%n Dateien</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n passage(s)</source>
        <translation>
            <numerusform>%n Passage</numerusform>
            <numerusform>%n Passagen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n skipped</source>
        <translation>
            <numerusform>%n übersprungen</numerusform>
            <numerusform>%n übersprungen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> · %n passage(s)</source>
        <translation>
            <numerusform> · %n Passage</numerusform>
            <numerusform>· %n Passagen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EngineWorker</name>
    <message>
        <source>No model is loaded.</source>
        <translation>Es ist kein Modell geladen.</translation>
    </message>
    <message>
        <source>The GPU was lost while ranking passages.</source>
        <translation>Die GPU ging beim Ordnen der Passagen verloren.</translation>
    </message>
</context>
<context>
    <name>HfClient</name>
    <message>
        <source>the repository is gated or private: add a Hugging Face token in the settings</source>
        <translation>Das Repository ist geschützt oder privat: Fügen Sie in den Einstellungen ein Hugging-Face-Token hinzu</translation>
    </message>
    <message>
        <source>not found on Hugging Face</source>
        <translation>auf Hugging Face nicht gefunden</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>unexpected answer from the Hugging Face search</source>
        <translation>Unerwartete Antwort von der Hugging-Face-Suche</translation>
    </message>
    <message>
        <source>not a repository name: %1 (expected owner/name)</source>
        <translation>kein Repository-Name: %1 (erwartet: Besitzer/Name)</translation>
    </message>
    <message>
        <source>unexpected answer from the Hugging Face file list</source>
        <translation>Unerwartete Antwort von der Hugging-Face-Dateiliste</translation>
    </message>
</context>
<context>
    <name>ImageFileWorker</name>
    <message>
        <source>%1: a folder, not a picture</source>
        <translation>%1: ein Ordner, kein Bild</translation>
    </message>
    <message>
        <source>%1: cannot open: %2</source>
        <translation>%1: Öffnen nicht möglich: %2</translation>
    </message>
    <message>
        <source>%1: %2 bytes, more than a picture may have (%3)</source>
        <translation>%1: %2 Bytes, mehr als ein Bild haben darf (%3)</translation>
    </message>
    <message>
        <source>%1: read error: %2</source>
        <translation>%1: Lesefehler: %2</translation>
    </message>
    <message>
        <source>%1: the clipboard&apos;s picture is empty</source>
        <translation>%1: Das Bild in der Zwischenablage ist leer</translation>
    </message>
    <message>
        <source>%1: %2×%3 pixels, expected at most %4 per side and %5 in all</source>
        <translation>%1: %2×%3 Pixel, erwartet höchstens %4 pro Seite und %5 insgesamt</translation>
    </message>
    <message>
        <source>%1: cannot encode the picture as PNG</source>
        <translation>%1: Das Bild lässt sich nicht als PNG kodieren</translation>
    </message>
    <message>
        <source>%1: cannot keep a copy in %2: %3</source>
        <translation>%1: Keine Kopie in %2 möglich: %3</translation>
    </message>
</context>
<context>
    <name>InstalledModelsModel</name>
    <message>
        <source>%1 is not in the models folder</source>
        <translation>%1 ist nicht im Modellordner</translation>
    </message>
    <message>
        <source>could not delete %1</source>
        <translation>%1 konnte nicht gelöscht werden</translation>
    </message>
    <message>
        <source>%1 is neither a .gguf file nor a Hugging Face model folder</source>
        <translation>%1 ist weder eine .gguf-Datei noch ein Hugging-Face-Modellordner</translation>
    </message>
    <message>
        <source>the models folder %1 cannot be created</source>
        <translation>Der Modellordner %1 kann nicht erstellt werden</translation>
    </message>
    <message>
        <source>%1 is already in the models folder</source>
        <translation>%1 ist bereits im Modellordner</translation>
    </message>
    <message>
        <source>could not link %1</source>
        <translation>%1 konnte nicht verknüpft werden</translation>
    </message>
    <message>
        <source>could not copy %1 into the models folder (is the disk full?)</source>
        <translation>%1 konnte nicht in den Modellordner kopiert werden (ist die Festplatte voll?)</translation>
    </message>
    <message>
        <source>EmbeddingGemma (reduced: no dense head)</source>
        <translation>EmbeddingGemma (reduziert: ohne Dense-Kopf)</translation>
    </message>
    <message>
        <source>part %1 of %2 (%3) is missing</source>
        <translation>Teil %1 von %2 (%3) fehlt</translation>
    </message>
</context>
<context>
    <name>LaunchOptions</name>
    <message>
        <source>Chat with Gemma 4 models on your own computer.</source>
        <translation>Chatten Sie mit Gemma-4-Modellen auf Ihrem eigenen Computer.</translation>
    </message>
    <message>
        <source>Open a window of its own instead of handing MODEL to the Facet that is already running.</source>
        <translation>Ein eigenes Fenster öffnen, statt MODEL an das bereits laufende Facet zu übergeben.</translation>
    </message>
    <message>
        <source>A .gguf file or a Hugging Face model folder to open.</source>
        <translation>Eine .gguf-Datei oder ein Hugging-Face-Modellordner zum Öffnen.</translation>
    </message>
</context>
<context>
    <name>LocalApiServer</name>
    <message>
        <source>&quot;%1&quot; is not an origin like http://localhost:3000 (scheme, host, optional port).</source>
        <translation>„%1“ ist kein Origin wie http://localhost:3000 (Schema, Host, optionaler Port).</translation>
    </message>
    <message>
        <source>Cannot read the API key: %1</source>
        <translation>API-Schlüssel kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Cannot store the API key: %1</source>
        <translation>API-Schlüssel kann nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>Cannot listen on port %1: %2</source>
        <translation>Port %1 kann nicht geöffnet werden: %2</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Facet — %1</source>
        <translation>Facet — %1</translation>
    </message>
    <message>
        <source>Facet</source>
        <translation>Facet</translation>
    </message>
    <message>
        <source>Open a Gemma 4 model (.gguf)</source>
        <translation>Gemma-4-Modell öffnen (.gguf)</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF-Modelle (*.gguf)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Open a Hugging Face model folder</source>
        <translation>Hugging-Face-Modellordner öffnen</translation>
    </message>
    <message>
        <source>Reload model</source>
        <translation>Modell neu laden</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Ausblenden</translation>
    </message>
</context>
<context>
    <name>MainToolBar</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Facet</source>
        <translation>Facet</translation>
    </message>
    <message>
        <source>Add remote server…</source>
        <translation>Entfernten Server hinzufügen…</translation>
    </message>
    <message>
        <source>Remote servers…</source>
        <translation>Entfernte Server…</translation>
    </message>
    <message>
        <source>Tuning for this GPU (first load)…</source>
        <translation>Abstimmung auf diese GPU (erstes Laden)…</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <source>No model</source>
        <translation>Kein Modell</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation>%1 auf %2</translation>
    </message>
    <message>
        <source>%1 on %2. Switch to a model you used before, or a remote server&apos;s (Ctrl+Shift+R adds a server)</source>
        <translation>%1 auf %2. Wechseln Sie zu einem zuvor genutzten Modell oder zu dem eines entfernten Servers (Ctrl+Shift+R fügt einen Server hinzu)</translation>
    </message>
    <message>
        <source>Switch to a model you used before, or a remote server&apos;s (Ctrl+Shift+R adds a server; Remote servers… edits them)</source>
        <translation>Wechseln Sie zu einem zuvor genutzten Modell oder zu dem eines entfernten Servers (Ctrl+Shift+R fügt einen Server hinzu; „Entfernte Server…“ bearbeitet sie)</translation>
    </message>
    <message>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Remote</source>
        <translation>Entfernt</translation>
    </message>
    <message>
        <source>Loading model</source>
        <translation>Modell wird geladen</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Dokumente</translation>
    </message>
    <message>
        <source>Model info</source>
        <translation>Modellinfo</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>More</source>
        <translation>Mehr</translation>
    </message>
    <message>
        <source>Open model file…</source>
        <translation>Modelldatei öffnen…</translation>
    </message>
    <message>
        <source>Open model folder…</source>
        <translation>Modellordner öffnen…</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
</context>
<context>
    <name>MessageBubble</name>
    <message>
        <source>You: </source>
        <translation>Sie: </translation>
    </message>
    <message>
        <source>Model: </source>
        <translation>Modell: </translation>
    </message>
    <message>
        <source>Hide thinking</source>
        <translation>Denken ausblenden</translation>
    </message>
    <message>
        <source>Show thinking</source>
        <translation>Denken anzeigen</translation>
    </message>
    <message>
        <source> (thought for %1 s)</source>
        <translation> (%1 s nachgedacht)</translation>
    </message>
    <message>
        <source>Picture %1: show it larger</source>
        <translation>Bild %1: vergrößert anzeigen</translation>
    </message>
    <message>
        <source>Picture missing</source>
        <translation>Bild fehlt</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Copy message</source>
        <translation>Nachricht kopieren</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>Neu erzeugen</translation>
    </message>
    <message>
        <source>Regenerate the answer</source>
        <translation>Antwort neu erzeugen</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Bearbeiten</translation>
    </message>
    <message>
        <source>Edit message</source>
        <translation>Nachricht bearbeiten</translation>
    </message>
    <message>
        <source>Answer %1</source>
        <translation>Antwort %1</translation>
    </message>
    <message>
        <source>Show earlier answer %1</source>
        <translation>Frühere Antwort %1 anzeigen</translation>
    </message>
    <message>
        <source>(incomplete)</source>
        <translation>(unvollständig)</translation>
    </message>
    <message>
        <source>Edited message</source>
        <translation>Bearbeitete Nachricht</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancel editing</source>
        <translation>Bearbeiten abbrechen</translation>
    </message>
    <message>
        <source>Save and resend</source>
        <translation>Speichern und erneut senden</translation>
    </message>
    <message numerus="yes">
        <source>%n token(s)</source>
        <translation>
            <numerusform>%n Token</numerusform>
            <numerusform>%n Tokens</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ModelLoader</name>
    <message>
        <source>yes, with %1</source>
        <translation>ja, mit %1</translation>
    </message>
    <message>
        <source>no: %1</source>
        <translation>nein: %1</translation>
    </message>
    <message>
        <source>no: a GGUF model with its mmproj file sees pictures</source>
        <translation>nein: Ein GGUF-Modell mit seiner mmproj-Datei sieht Bilder</translation>
    </message>
</context>
<context>
    <name>ModelManager</name>
    <message>
        <source>%1 RAM</source>
        <translation>%1 RAM</translation>
    </message>
    <message>
        <source> · no GPU (models run on the CPU)</source>
        <translation> · keine GPU (Modelle laufen auf der CPU)</translation>
    </message>
    <message>
        <source> · %1 (shares the RAM)</source>
        <translation> · %1 (teilt sich den RAM)</translation>
    </message>
    <message>
        <source> · %1 with %2</source>
        <translation> · %1 mit %2</translation>
    </message>
    <message>
        <source>Not enough disk space for %1: it needs %2, %3 has %4 free.</source>
        <translation>Nicht genug Speicherplatz für %1: Benötigt werden %2, auf %3 sind %4 frei.</translation>
    </message>
    <message>
        <source>No catalog entry %1.</source>
        <translation>Kein Katalogeintrag %1.</translation>
    </message>
    <message>
        <source>Could not list the files of %1: %2</source>
        <translation>Die Dateien von %1 konnten nicht aufgelistet werden: %2</translation>
    </message>
    <message>
        <source>%1 has no file matching %2: the repository may have changed.</source>
        <translation>%1 hat keine Datei, die zu %2 passt: Das Repository hat sich womöglich geändert.</translation>
    </message>
    <message>
        <source>%1 in %2 is not the file the catalog knows (sha256 differs).</source>
        <translation>%1 in %2 ist nicht die Datei, die der Katalog kennt (sha256 weicht ab).</translation>
    </message>
    <message>
        <source>%1 is no catalog model with image support to download.</source>
        <translation>%1 ist kein Katalogmodell mit herunterladbarer Bildunterstützung.</translation>
    </message>
    <message>
        <source>%1 image support</source>
        <translation>Bildunterstützung für %1</translation>
    </message>
    <message>
        <source>Search failed: %1</source>
        <translation>Suche fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>%1 is not a file of %2.</source>
        <translation>%1 ist keine Datei von %2.</translation>
    </message>
    <message>
        <source>unknown size</source>
        <translation>Größe unbekannt</translation>
    </message>
    <message>
        <source>%1 GiB</source>
        <translation>%1 GiB</translation>
    </message>
    <message>
        <source>%1 MiB</source>
        <translation>%1 MiB</translation>
    </message>
    <message>
        <source>%1 KiB</source>
        <translation>%1 KiB</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
</context>
<context>
    <name>ModelPanel</name>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>Schichten</translation>
    </message>
</context>
<context>
    <name>ModelPathCheck</name>
    <message>
        <source>%1: no such file or folder</source>
        <translation>%1: Datei oder Ordner nicht vorhanden</translation>
    </message>
    <message>
        <source>The folder “%1” holds no model. Facet opens .gguf files and Hugging Face model folders (with config.json and .safetensors files).</source>
        <translation>Der Ordner „%1“ enthält kein Modell. Facet öffnet .gguf-Dateien und Hugging-Face-Modellordner (mit config.json und .safetensors-Dateien).</translation>
    </message>
    <message>
        <source>“%1” cannot be read: %2</source>
        <translation>„%1“ kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>“%1” is not a model. Facet opens .gguf files and Hugging Face model folders.</source>
        <translation>„%1“ ist kein Modell. Facet öffnet .gguf-Dateien und Hugging-Face-Modellordner.</translation>
    </message>
</context>
<context>
    <name>ModelsDialog</name>
    <message>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <source>Catalog</source>
        <translation>Katalog</translation>
    </message>
    <message>
        <source>Search Hugging Face</source>
        <translation>Hugging Face durchsuchen</translation>
    </message>
    <message>
        <source>Downloads (%1)</source>
        <translation>Downloads (%1)</translation>
    </message>
    <message>
        <source>Installed (%1)</source>
        <translation>Installiert (%1)</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Ausblenden</translation>
    </message>
    <message>
        <source>Checking this machine…</source>
        <translation>Dieser Rechner wird geprüft…</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>Kontext</translation>
    </message>
    <message>
        <source>Context length for the fit estimate</source>
        <translation>Kontextlänge für die Passt-Schätzung</translation>
    </message>
    <message>
        <source>%1 · about %2 · %3</source>
        <translation>%1 · etwa %2 · %3</translation>
    </message>
    <message>
        <source>Fits</source>
        <translation>Passt</translation>
    </message>
    <message>
        <source>May be slow</source>
        <translation>Eventuell langsam</translation>
    </message>
    <message>
        <source>Won&apos;t fit</source>
        <translation>Passt nicht</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Installed</source>
        <translation>Installiert</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Herunterladen</translation>
    </message>
    <message>
        <source>Download %1</source>
        <translation>%1 herunterladen</translation>
    </message>
    <message>
        <source>Search Gemma 4 GGUF repositories (e.g. gemma-4 e4b)</source>
        <translation>Gemma-4-GGUF-Repositories durchsuchen (z. B. gemma-4 e4b)</translation>
    </message>
    <message>
        <source>Search text</source>
        <translation>Text suchen</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <source>%1  ·  %2 downloads · %3 likes</source>
        <translation>%1  ·  %2 Downloads · %3 Likes</translation>
    </message>
    <message>
        <source>Pick a repository to see its GGUF files.</source>
        <translation>Wählen Sie ein Repository, um seine GGUF-Dateien zu sehen.</translation>
    </message>
    <message>
        <source>%1 (%2 parts)</source>
        <translation>%1 (%2 Teile)</translation>
    </message>
    <message>
        <source>No downloads. Pick a model in the catalog or search Hugging Face.</source>
        <translation>Keine Downloads. Wählen Sie ein Modell im Katalog oder durchsuchen Sie Hugging Face.</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausieren</translation>
    </message>
    <message>
        <source>Pause %1</source>
        <translation>%1 pausieren</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Resume %1</source>
        <translation>%1 fortsetzen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancel %1</source>
        <translation>%1 abbrechen</translation>
    </message>
    <message>
        <source>Remove from list</source>
        <translation>Aus der Liste entfernen</translation>
    </message>
    <message>
        <source>Remove %1 from the list</source>
        <translation>%1 aus der Liste entfernen</translation>
    </message>
    <message>
        <source>Progress of %1</source>
        <translation>Fortschritt von %1</translation>
    </message>
    <message>
        <source> · file %1 of %2</source>
        <translation> · Datei %1 von %2</translation>
    </message>
    <message>
        <source>%1 · %2/s · %3 left</source>
        <translation>%1 · %2/s · noch %3</translation>
    </message>
    <message>
        <source>Verifying the checksum…</source>
        <translation>Prüfsumme wird geprüft…</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Done and verified · %1</source>
        <translation>Fertig und geprüft · %1</translation>
    </message>
    <message>
        <source>Paused at %1</source>
        <translation>Pausiert bei %1</translation>
    </message>
    <message>
        <source>Waiting for another download to finish</source>
        <translation>Warten, bis ein anderer Download fertig ist</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>%1 in %2</source>
        <translation>%1 in %2</translation>
    </message>
    <message>
        <source>Change folder…</source>
        <translation>Ordner ändern…</translation>
    </message>
    <message>
        <source>Change the models folder</source>
        <translation>Modellordner ändern</translation>
    </message>
    <message>
        <source>Import .gguf…</source>
        <translation>.gguf importieren…</translation>
    </message>
    <message>
        <source>Import folder…</source>
        <translation>Ordner importieren…</translation>
    </message>
    <message>
        <source>Import a Hugging Face model folder</source>
        <translation>Hugging-Face-Modellordner importieren</translation>
    </message>
    <message>
        <source>Link instead of copy</source>
        <translation>Verknüpfen statt kopieren</translation>
    </message>
    <message>
        <source>No models yet. Download one, import one, or drop a .gguf file here.</source>
        <translation>Noch keine Modelle. Laden Sie eines herunter, importieren Sie eines oder legen Sie hier eine .gguf-Datei ab.</translation>
    </message>
    <message>
        <source>Sees images</source>
        <translation>Sieht Bilder</translation>
    </message>
    <message>
        <source>%1 sees images</source>
        <translation>%1 sieht Bilder</translation>
    </message>
    <message>
        <source>Cannot be opened: %1</source>
        <translation>Kann nicht geöffnet werden: %1</translation>
    </message>
    <message>
        <source>%1 · %2 · %3 B parameters · context %4 · %5</source>
        <translation>%1 · %2 · %3 Mrd. Parameter · Kontext %4 · %5</translation>
    </message>
    <message>
        <source>Use for documents</source>
        <translation>Für Dokumente verwenden</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <source>Use %1 for document search</source>
        <translation>%1 für die Dokumentsuche verwenden</translation>
    </message>
    <message>
        <source>Chat with %1</source>
        <translation>Mit %1 chatten</translation>
    </message>
    <message>
        <source>Download image support</source>
        <translation>Bildunterstützung herunterladen</translation>
    </message>
    <message>
        <source>Download image support for %1</source>
        <translation>Bildunterstützung für %1 herunterladen</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Löschen…</translation>
    </message>
    <message>
        <source>Delete %1</source>
        <translation>%1 löschen</translation>
    </message>
    <message>
        <source>Delete this model?</source>
        <translation>Dieses Modell löschen?</translation>
    </message>
    <message>
        <source>%1 will be removed from the disk.</source>
        <translation>%1 wird von der Festplatte gelöscht.</translation>
    </message>
    <message>
        <source>Its image support, %1, goes too unless another model uses it.</source>
        <translation>Seine Bildunterstützung, %1, wird ebenfalls gelöscht, sofern kein anderes Modell sie nutzt.</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF-Modelle (*.gguf)</translation>
    </message>
</context>
<context>
    <name>OpenAiClient</name>
    <message>
        <source>Nothing answers at %1: is the server running?</source>
        <translation>Unter %1 antwortet nichts: Läuft der Server?</translation>
    </message>
    <message>
        <source>The host %1 was not found</source>
        <translation>Der Host %1 wurde nicht gefunden</translation>
    </message>
    <message>
        <source>%1 stopped answering (timed out)</source>
        <translation>%1 antwortet nicht mehr (Zeitüberschreitung)</translation>
    </message>
    <message>
        <source>The TLS connection to %1 failed: %2</source>
        <translation>Die TLS-Verbindung zu %1 ist fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Could not talk to %1: %2</source>
        <translation>Keine Verbindung zu %1: %2</translation>
    </message>
    <message>
        <source>The server&apos;s answer is too large</source>
        <translation>Die Antwort des Servers ist zu groß</translation>
    </message>
    <message>
        <source>The server reported an error: %1</source>
        <translation>Der Server meldete einen Fehler: %1</translation>
    </message>
    <message>
        <source>The server closed the connection before the answer was complete</source>
        <translation>Der Server hat die Verbindung geschlossen, bevor die Antwort vollständig war</translation>
    </message>
</context>
<context>
    <name>PdfViewer</name>
    <message>
        <source>PDF viewer: %1</source>
        <translation>PDF-Betrachter: %1</translation>
    </message>
    <message>
        <source>Previous page</source>
        <translation>Vorherige Seite</translation>
    </message>
    <message>
        <source>Page %1 of %2</source>
        <translation>Seite %1 von %2</translation>
    </message>
    <message>
        <source>Next page</source>
        <translation>Nächste Seite</translation>
    </message>
    <message>
        <source>Find in document</source>
        <translation>Im Dokument suchen</translation>
    </message>
    <message>
        <source>Close the viewer</source>
        <translation>Betrachter schließen</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>Schließen (Esc)</translation>
    </message>
</context>
<context>
    <name>PictureViewer</name>
    <message>
        <source>Picture %1</source>
        <translation>Bild %1</translation>
    </message>
    <message>
        <source>Open in image viewer</source>
        <translation>In der Bildanzeige öffnen</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Close the picture</source>
        <translation>Bild schließen</translation>
    </message>
    <message>
        <source>This picture is missing or damaged.</source>
        <translation>Dieses Bild fehlt oder ist beschädigt.</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <source>cannot create the folder %1</source>
        <translation>Der Ordner %1 kann nicht erstellt werden</translation>
    </message>
    <message>
        <source>cannot move %1 to %2</source>
        <translation>%1 kann nicht nach %2 verschoben werden</translation>
    </message>
    <message>
        <source>p. %1</source>
        <translation>S. %1</translation>
    </message>
    <message>
        <source>%1 (label %2)</source>
        <translation>%1 (Bezeichnung %2)</translation>
    </message>
    <message>
        <source>catalog: %1 at offset %2</source>
        <translation>Katalog: %1 bei Position %2</translation>
    </message>
    <message>
        <source>catalog: no &quot;models&quot; array</source>
        <translation>Katalog: kein „models“-Array</translation>
    </message>
    <message>
        <source>catalog entry %1</source>
        <translation>Katalogeintrag %1</translation>
    </message>
    <message>
        <source>: missing or repeated &quot;id&quot;</source>
        <translation>: „id“ fehlt oder ist doppelt</translation>
    </message>
    <message>
        <source>%1 (%2): missing &quot;%3&quot;</source>
        <translation>%1 (%2): „%3“ fehlt</translation>
    </message>
    <message>
        <source>%1 (%2): format must be gguf or safetensors</source>
        <translation>%1 (%2): Format muss gguf oder safetensors sein</translation>
    </message>
    <message>
        <source>%1 (%2): kind must be chat or embedding</source>
        <translation>%1 (%2): Art muss chat oder embedding sein</translation>
    </message>
    <message>
        <source>%1 (%2): no include patterns</source>
        <translation>%1 (%2): keine Include-Muster</translation>
    </message>
    <message>
        <source>%1 (%2): &quot;mmproj&quot; is only for GGUF chat models</source>
        <translation>%1 (%2): „mmproj“ gibt es nur für GGUF-Chatmodelle</translation>
    </message>
    <message>
        <source>%1 (%2): &quot;mmproj&quot; must be a file name pattern</source>
        <translation>%1 (%2): „mmproj“ muss ein Dateinamensmuster sein</translation>
    </message>
    <message>
        <source>%1 (%2): repo must be owner/name</source>
        <translation>%1 (%2): repo muss Besitzer/Name sein</translation>
    </message>
    <message>
        <source>%1 (%2): sha256 must be 64 hex digits</source>
        <translation>%1 (%2): sha256 muss aus 64 Hexziffern bestehen</translation>
    </message>
    <message>
        <source>the built-in catalog is missing</source>
        <translation>Der eingebaute Katalog fehlt</translation>
    </message>
    <message>
        <source>unknown variant %1</source>
        <translation>Unbekannte Variante %1</translation>
    </message>
    <message>
        <source>system keyring: %1</source>
        <translation>Systemschlüsselbund: %1</translation>
    </message>
    <message>
        <source>error %1</source>
        <translation>Fehler %1</translation>
    </message>
    <message>
        <source>the system keyring</source>
        <translation>dem Systemschlüsselbund</translation>
    </message>
    <message>
        <source>the server sent something that is not JSON (%1)</source>
        <translation>Der Server sandte etwas, das kein JSON ist (%1)</translation>
    </message>
    <message>
        <source>the server reported an error without a message</source>
        <translation>Der Server meldete einen Fehler ohne Nachricht</translation>
    </message>
    <message>
        <source>The server refused the API key (HTTP %1)%2. Check the key in the server&apos;s settings.</source>
        <translation>Der Server hat den API-Schlüssel abgelehnt (HTTP %1)%2. Prüfen Sie den Schlüssel in den Servereinstellungen.</translation>
    </message>
    <message>
        <source>Not found on the server (HTTP 404)%1. Check the base URL and the model name.</source>
        <translation>Auf dem Server nicht gefunden (HTTP 404)%1. Prüfen Sie die Basis-URL und den Modellnamen.</translation>
    </message>
    <message>
        <source>The server is busy or over its rate limit (HTTP 429)%1. Try again in a moment.</source>
        <translation>Der Server ist ausgelastet oder über seinem Ratenlimit (HTTP 429)%1. Versuchen Sie es gleich noch einmal.</translation>
    </message>
    <message>
        <source>The server failed (HTTP %1)%2.</source>
        <translation>Der Server ist fehlgeschlagen (HTTP %1)%2.</translation>
    </message>
    <message>
        <source>The server answered HTTP %1%2.</source>
        <translation>Der Server antwortete mit HTTP %1%2.</translation>
    </message>
    <message>
        <source>the server&apos;s model list has no &quot;data&quot; array</source>
        <translation>Die Modellliste des Servers hat kein „data“-Array</translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation>%1 konnte nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 is not valid JSON: %2</source>
        <translation>%1 ist kein gültiges JSON: %2</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>%1 konnte nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Enter the server&apos;s address, for example http://localhost:8080</source>
        <translation>Geben Sie die Adresse des Servers ein, zum Beispiel http://localhost:8080</translation>
    </message>
    <message>
        <source>“%1” is not a server address</source>
        <translation>„%1“ ist keine Serveradresse</translation>
    </message>
    <message>
        <source>Only http:// and https:// addresses are supported, not %1://</source>
        <translation>Nur http:// und https://-Adressen werden unterstützt, nicht %1://</translation>
    </message>
    <message>
        <source>Put the API key in its own field, not in the address</source>
        <translation>Geben Sie den API-Schlüssel in sein eigenes Feld ein, nicht in die Adresse</translation>
    </message>
    <message>
        <source>%1 uses plain http to another computer: the API key and your messages would travel unencrypted. Use https, or confirm that this is what you want.</source>
        <translation>%1 nutzt unverschlüsseltes http zu einem anderen Computer: API-Schlüssel und Nachrichten würden unverschlüsselt übertragen. Verwenden Sie https oder bestätigen Sie, dass Sie genau das wollen.</translation>
    </message>
    <message>
        <source>file %1</source>
        <translation>Datei %1</translation>
    </message>
    <message>
        <source>the server sent a line longer than %1 MiB</source>
        <translation>Der Server sandte eine Zeile länger als %1 MiB</translation>
    </message>
</context>
<context>
    <name>RemoteServerDialog</name>
    <message>
        <source>Add remote server</source>
        <translation>Entfernten Server hinzufügen</translation>
    </message>
    <message>
        <source>Edit remote server</source>
        <translation>Entfernten Server bearbeiten</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>e.g. Lab vLLM</source>
        <translation>z. B. Labor-vLLM</translation>
    </message>
    <message>
        <source>Server name</source>
        <translation>Servername</translation>
    </message>
    <message>
        <source>Base URL (with or without /v1)</source>
        <translation>Basis-URL (mit oder ohne /v1)</translation>
    </message>
    <message>
        <source>http://localhost:8080</source>
        <translation>http://localhost:8080</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>Basis-URL</translation>
    </message>
    <message>
        <source>Requests go to %1/v1/…</source>
        <translation>Anfragen gehen an %1/v1/…</translation>
    </message>
    <message>
        <source>API key (optional)</source>
        <translation>API-Schlüssel (optional)</translation>
    </message>
    <message>
        <source>New API key (optional)</source>
        <translation>Neuer API-Schlüssel (optional)</translation>
    </message>
    <message>
        <source>kept in the system keyring, never in settings files</source>
        <translation>im Systemschlüsselbund, nie in Einstellungsdateien</translation>
    </message>
    <message>
        <source>leave empty to keep the saved key</source>
        <translation>leer lassen, um den gespeicherten Schlüssel zu behalten</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API-Schlüssel</translation>
    </message>
    <message>
        <source>Send the key and my messages unencrypted over plain http to this computer</source>
        <translation>Schlüssel und Nachrichten unverschlüsselt über http an diesen Computer senden</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Verbindung testen</translation>
    </message>
    <message>
        <source>Testing the connection</source>
        <translation>Verbindung wird getestet</translation>
    </message>
    <message numerus="yes">
        <source>Connected: %n model(s)</source>
        <translation>
            <numerusform>Verbunden: %n Modell</numerusform>
            <numerusform>Verbunden: %n Modelle</numerusform>
        </translation>
    </message>
    <message>
        <source>Models on the server</source>
        <translation>Modelle auf dem Server</translation>
    </message>
    <message>
        <source>Saved (no API key).</source>
        <translation>Gespeichert (kein API-Schlüssel).</translation>
    </message>
    <message>
        <source>Saved. No system keyring answered, so the key is in %1, readable only by you.</source>
        <translation>Gespeichert. Kein Systemschlüsselbund hat geantwortet, daher liegt der Schlüssel in %1, nur für Sie lesbar.</translation>
    </message>
    <message>
        <source>Saved. The key is in %1.</source>
        <translation>Gespeichert. Der Schlüssel liegt in %1.</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>RemoteServers</name>
    <message>
        <source>The server answered but lists no models</source>
        <translation>Der Server antwortet, listet aber keine Modelle</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Could not read the saved API key: %1</source>
        <translation>Der gespeicherte API-Schlüssel konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>This server was removed</source>
        <translation>Dieser Server wurde entfernt</translation>
    </message>
</context>
<context>
    <name>RemoteServersDialog</name>
    <message>
        <source>Remote servers</source>
        <translation>Entfernte Server</translation>
    </message>
    <message>
        <source>Saved remote servers</source>
        <translation>Gespeicherte entfernte Server</translation>
    </message>
    <message numerus="yes">
        <source>%1 · %n model(s)</source>
        <translation>
            <numerusform>%1 · %n Modell</numerusform>
            <numerusform>%1 · %n Modelle</numerusform>
        </translation>
    </message>
    <message>
        <source>No API key</source>
        <translation>Kein API-Schlüssel</translation>
    </message>
    <message>
        <source>Key in %1</source>
        <translation>Schlüssel in %1</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Bearbeiten…</translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation>%1 bearbeiten</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>%1 entfernen</translation>
    </message>
    <message>
        <source>No remote servers yet. Add one to chat with its models.</source>
        <translation>Noch keine entfernten Server. Fügen Sie einen hinzu, um mit seinen Modellen zu chatten.</translation>
    </message>
    <message>
        <source>Remove this server?</source>
        <translation>Diesen Server entfernen?</translation>
    </message>
    <message>
        <source>%1 and its saved API key will be removed. A chat using one of its models goes back to no model.</source>
        <translation>%1 und sein gespeicherter API-Schlüssel werden entfernt. Ein Chat, der eines seiner Modelle nutzt, hat danach kein Modell mehr.</translation>
    </message>
    <message>
        <source>Add server…</source>
        <translation>Server hinzufügen…</translation>
    </message>
    <message>
        <source>Add a remote server</source>
        <translation>Entfernten Server hinzufügen</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>ServerSettings</name>
    <message>
        <source>Local API server</source>
        <translation>Lokaler API-Server</translation>
    </message>
    <message>
        <source>Serves the model loaded in the chat through an OpenAI-compatible API (/v1/chat/completions, /v1/completions, /v1/models). The chat and the API share the model and take turns.</source>
        <translation>Stellt das im Chat geladene Modell über eine OpenAI-kompatible API bereit (/v1/chat/completions, /v1/completions, /v1/models). Chat und API teilen sich das Modell und wechseln sich ab.</translation>
    </message>
    <message>
        <source>Serve the loaded model</source>
        <translation>Das geladene Modell bereitstellen</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>Modell: %1</translation>
    </message>
    <message>
        <source>No model is loaded: requests are answered 503 until one is.</source>
        <translation>Kein Modell geladen: Anfragen werden mit 503 beantwortet, bis eines geladen ist.</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Server address %1</source>
        <translation>Serveradresse %1</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Copy the address</source>
        <translation>Adresse kopieren</translation>
    </message>
    <message>
        <source>On your network: %1</source>
        <translation>In Ihrem Netzwerk: %1</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Allow other computers on the network</source>
        <translation>Anderen Computern im Netzwerk erlauben</translation>
    </message>
    <message>
        <source>Anyone on your network who has the key can use the model. Share the key only with people you trust.</source>
        <translation>Jeder in Ihrem Netzwerk, der den Schlüssel hat, kann das Modell nutzen. Geben Sie den Schlüssel nur an Personen weiter, denen Sie vertrauen.</translation>
    </message>
    <message>
        <source>Send thinking as &quot;reasoning&quot; (newer vLLM clients) instead of &quot;reasoning_content&quot;</source>
        <translation>Denken als „reasoning“ senden (neuere vLLM-Clients) statt als „reasoning_content“</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API-Schlüssel</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Ausblenden</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Anzeigen</translation>
    </message>
    <message>
        <source>Hide the key</source>
        <translation>Schlüssel verbergen</translation>
    </message>
    <message>
        <source>Show the key</source>
        <translation>Schlüssel anzeigen</translation>
    </message>
    <message>
        <source>Copy the key</source>
        <translation>Schlüssel kopieren</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>Neu erzeugen</translation>
    </message>
    <message>
        <source>Regenerate the key</source>
        <translation>Schlüssel neu erzeugen</translation>
    </message>
    <message>
        <source>Send it as &quot;Authorization: Bearer KEY&quot;. Kept in %1.</source>
        <translation>Wird als „Authorization: Bearer KEY“ gesendet. Gespeichert in %1.</translation>
    </message>
    <message>
        <source>Allowed origins (browser apps, CORS)</source>
        <translation>Erlaubte Origins (Browser-Apps, CORS)</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>%1 entfernen</translation>
    </message>
    <message>
        <source>http://localhost:3000</source>
        <translation>http://localhost:3000</translation>
    </message>
    <message>
        <source>New allowed origin</source>
        <translation>Neuer erlaubter Origin</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>Add the origin</source>
        <translation>Origin hinzufügen</translation>
    </message>
    <message>
        <source>Recent requests</source>
        <translation>Letzte Anfragen</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>Clear the request log</source>
        <translation>Anfrageprotokoll leeren</translation>
    </message>
    <message>
        <source>No requests yet.</source>
        <translation>Noch keine Anfragen.</translation>
    </message>
    <message>
        <source>%1  %2 %3  %4  %5 + %6 tokens  %7 tok/s  %8 ms</source>
        <translation>%1  %2 %3  %4  %5 + %6 Tokens  %7 Tok./s  %8 ms</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Allgemein</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>Darstellung</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Design</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>Font size</source>
        <translation>Schriftgröße</translation>
    </message>
    <message>
        <source>GPU (index or name; empty = best)</source>
        <translation>GPU (Index oder Name; leer = die beste)</translation>
    </message>
    <message>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <source>Models folder</source>
        <translation>Modellordner</translation>
    </message>
    <message>
        <source>Hugging Face token (gated models)</source>
        <translation>Hugging-Face-Token (geschützte Modelle)</translation>
    </message>
    <message>
        <source>optional: hf_… (kept in the system keyring, not in the settings file)</source>
        <translation>optional: hf_… (im Systemschlüsselbund gespeichert, nicht in der Einstellungsdatei)</translation>
    </message>
    <message>
        <source>Hugging Face token</source>
        <translation>Hugging-Face-Token</translation>
    </message>
    <message>
        <source>Rerank document passages with the model</source>
        <translation>Dokumentpassagen mit dem Modell neu ordnen</translation>
    </message>
    <message>
        <source>Auto (on with a GPU)</source>
        <translation>Automatisch (an mit GPU)</translation>
    </message>
    <message>
        <source>On</source>
        <translation>An</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <source>Rerank document passages</source>
        <translation>Dokumentpassagen neu ordnen</translation>
    </message>
    <message>
        <source>More detail for pictures (slower)</source>
        <translation>Mehr Details für Bilder (langsamer)</translation>
    </message>
    <message>
        <source>Pictures take four times as many tokens: finer detail, slower replies</source>
        <translation>Bilder brauchen viermal so viele Tokens: feinere Details, langsamere Antworten</translation>
    </message>
    <message>
        <source>Defaults for new models</source>
        <translation>Standardwerte für neue Modelle</translation>
    </message>
    <message>
        <source>Defaults for %1</source>
        <translation>Standardwerte für %1</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>Systemprompt</translation>
    </message>
    <message>
        <source>Temperature %1</source>
        <translation>Temperatur %1</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Temperatur</translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <source>Top-p %1</source>
        <translation>Top-p %1</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>Min-p %1</source>
        <translation>Min-p %1</translation>
    </message>
    <message>
        <source>Min-p</source>
        <translation>Min-p</translation>
    </message>
    <message>
        <source>Repeat penalty %1</source>
        <translation>Wiederholungsstrafe %1</translation>
    </message>
    <message>
        <source>Repeat penalty</source>
        <translation>Wiederholungsstrafe</translation>
    </message>
    <message>
        <source>Max tokens per reply</source>
        <translation>Max. Tokens pro Antwort</translation>
    </message>
    <message>
        <source>Context length (applies on the next load)</source>
        <translation>Kontextlänge (gilt ab dem nächsten Laden)</translation>
    </message>
    <message>
        <source>Context length</source>
        <translation>Kontextlänge</translation>
    </message>
    <message>
        <source>Thinking</source>
        <translation>Denken</translation>
    </message>
    <message>
        <source>Reset these to the defaults</source>
        <translation>Auf Standardwerte zurücksetzen</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Systemstandard</translation>
    </message>
</context>
<context>
    <name>ShortcutsSheet</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Allgemein</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Dokumente</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Open a model file</source>
        <translation>Modelldatei öffnen</translation>
    </message>
    <message>
        <source>Add a remote server</source>
        <translation>Entfernten Server hinzufügen</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>Unterhaltungen</translation>
    </message>
    <message>
        <source>New conversation</source>
        <translation>Neue Unterhaltung</translation>
    </message>
    <message>
        <source>Search conversations</source>
        <translation>Unterhaltungen durchsuchen</translation>
    </message>
    <message>
        <source>Undo deleting a conversation</source>
        <translation>Löschen einer Unterhaltung rückgängig machen</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <source>Send the message</source>
        <translation>Nachricht senden</translation>
    </message>
    <message>
        <source>New line in the message</source>
        <translation>Neue Zeile in der Nachricht</translation>
    </message>
    <message>
        <source>Stop the answer</source>
        <translation>Antwort stoppen</translation>
    </message>
    <message>
        <source>Copy the last answer</source>
        <translation>Letzte Antwort kopieren</translation>
    </message>
    <message>
        <source>Attach pictures</source>
        <translation>Bilder anhängen</translation>
    </message>
    <message>
        <source>Paste a picture</source>
        <translation>Bild einfügen</translation>
    </message>
    <message>
        <source>Chat with a document collection</source>
        <translation>Mit einer Dokumentsammlung chatten</translation>
    </message>
    <message>
        <source>PDF viewer</source>
        <translation>PDF-Betrachter</translation>
    </message>
    <message>
        <source>Next page</source>
        <translation>Nächste Seite</translation>
    </message>
    <message>
        <source>Previous page</source>
        <translation>Vorherige Seite</translation>
    </message>
    <message>
        <source>Close the viewer</source>
        <translation>Betrachter schließen</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Move through the conversations</source>
        <translation>Durch die Unterhaltungen blättern</translation>
    </message>
    <message>
        <source>Rename the selected conversation</source>
        <translation>Ausgewählte Unterhaltung umbenennen</translation>
    </message>
    <message>
        <source>Delete the selected conversation</source>
        <translation>Ausgewählte Unterhaltung löschen</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <source>Start a new conversation (Ctrl+N)</source>
        <translation>Neue Unterhaltung beginnen (Ctrl+N)</translation>
    </message>
    <message>
        <source>Ctrl+N</source>
        <translation>Ctrl+N</translation>
    </message>
    <message>
        <source>Search conversations</source>
        <translation>Unterhaltungen durchsuchen</translation>
    </message>
    <message>
        <source>Search titles and messages (Ctrl+F)</source>
        <translation>Titel und Nachrichten durchsuchen (Ctrl+F)</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Undo delete</source>
        <translation>Löschen rückgängig machen</translation>
    </message>
    <message>
        <source>Bring the conversation back (Ctrl+Z)</source>
        <translation>Unterhaltung wiederherstellen (Ctrl+Z)</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>Unterhaltungen</translation>
    </message>
    <message>
        <source>Up and Down choose, Enter opens, F2 renames, Delete deletes</source>
        <translation>Auf und Ab wählen, Enter öffnet, F2 benennt um, Entf löscht</translation>
    </message>
    <message>
        <source>Double-click or F2 to rename</source>
        <translation>Doppelklick oder F2 zum Umbenennen</translation>
    </message>
    <message>
        <source>Rename (F2)</source>
        <translation>Umbenennen (F2)</translation>
    </message>
    <message>
        <source>Rename conversation %1</source>
        <translation>Unterhaltung %1 umbenennen</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exportieren…</translation>
    </message>
    <message>
        <source>Export conversation %1</source>
        <translation>Unterhaltung %1 exportieren</translation>
    </message>
    <message>
        <source>Delete (Del)</source>
        <translation>Löschen (Entf)</translation>
    </message>
    <message>
        <source>Delete conversation %1</source>
        <translation>Unterhaltung %1 löschen</translation>
    </message>
    <message>
        <source>No conversation matches “%1”.</source>
        <translation>Keine Unterhaltung passt zu „%1“.</translation>
    </message>
    <message>
        <source>Your conversations appear here.</source>
        <translation>Ihre Unterhaltungen erscheinen hier.</translation>
    </message>
</context>
<context>
    <name>SourcesPanel</name>
    <message>
        <source>Sources</source>
        <translation>Quellen</translation>
    </message>
    <message>
        <source>Source %1: %2 %3</source>
        <translation>Quelle %1: %2 %3</translation>
    </message>
    <message>
        <source>Opens the document at this page</source>
        <translation>Öffnet das Dokument auf dieser Seite</translation>
    </message>
    <message>
        <source>Less</source>
        <translation>Weniger</translation>
    </message>
    <message>
        <source>More</source>
        <translation>Mehr</translation>
    </message>
    <message>
        <source>Show less of the passage</source>
        <translation>Weniger von der Passage anzeigen</translation>
    </message>
    <message>
        <source>Show all of the passage</source>
        <translation>Ganze Passage anzeigen</translation>
    </message>
</context>
<context>
    <name>WelcomeCard</name>
    <message>
        <source>Welcome to Facet</source>
        <translation>Willkommen bei Facet</translation>
    </message>
    <message>
        <source>Facet runs Google&apos;s Gemma 4 models on your own computer, on any GPU. Download one from the catalog (Facet tells you which fit this machine), or open a Gemma 4 .gguf file or Hugging Face model folder you already have. Your conversations stay on this machine.</source>
        <translation>Facet führt Googles Gemma-4-Modelle auf Ihrem eigenen Computer aus, auf jeder GPU. Laden Sie eines aus dem Katalog herunter (Facet zeigt, welche auf diesen Rechner passen), oder öffnen Sie eine Gemma-4-.gguf-Datei oder einen Hugging-Face-Modellordner, den Sie schon haben. Ihre Unterhaltungen bleiben auf diesem Rechner.</translation>
    </message>
    <message>
        <source>Download a model…</source>
        <translation>Modell herunterladen…</translation>
    </message>
    <message>
        <source>Gemma 4 models from the catalog, with what fits this machine</source>
        <translation>Gemma-4-Modelle aus dem Katalog, mit Angabe, was auf diesen Rechner passt</translation>
    </message>
    <message>
        <source>Open a model file…</source>
        <translation>Modelldatei öffnen…</translation>
    </message>
    <message>
        <source>A Gemma 4 .gguf file you already have</source>
        <translation>Eine Gemma-4-.gguf-Datei, die Sie schon haben</translation>
    </message>
    <message>
        <source>Open a model folder…</source>
        <translation>Modellordner öffnen…</translation>
    </message>
    <message>
        <source>A Hugging Face model folder (safetensors)</source>
        <translation>Ein Hugging-Face-Modellordner (safetensors)</translation>
    </message>
    <message>
        <source>Use a remote server…</source>
        <translation>Entfernten Server verwenden…</translation>
    </message>
    <message>
        <source>An OpenAI-compatible server (vLLM, llama.cpp, Ollama…)</source>
        <translation>Ein OpenAI-kompatibler Server (vLLM, llama.cpp, Ollama…)</translation>
    </message>
    <message>
        <source>Get started</source>
        <translation>Los geht’s</translation>
    </message>
</context>
</TS>
