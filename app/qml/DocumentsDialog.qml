pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Facet

// The document library: named collections, the folders (watched) and files
// each holds, indexing progress with pause and resume, and the files that
// were skipped with their reasons. Everything goes through DocumentLibrary.
Dialog {
    id: dialog
    required property DocumentLibrary library
    required property Theme theme
    // "Use in this chat": the chat attaches the collection's index.
    signal useCollection(string indexPath)
    // "Download EmbeddingGemma": the window starts the catalog download.
    signal downloadEmbeddingModel()
    title: qsTr("Documents")
    modal: true
    // Flat: a bordered surface on a scrim (the same under every renderer).
    Overlay.modal: Rectangle { color: dialog.theme.scrim }
    background: Rectangle { color: dialog.theme.surface; radius: dialog.theme.radius; border.color: dialog.theme.border }
    standardButtons: Dialog.Close
    width: parent ? parent.width * 0.92 : 900
    height: parent ? parent.height * 0.92 : 680

    component Muted: Label {
        color: dialog.theme.mutedText
        wrapMode: Text.Wrap
    }

    FolderDialog {
        id: folderPicker
        title: qsTr("Add a folder (watched for changes)")
        onAccepted: dialog.library.addSources(dialog.library.currentId, [selectedFolder])
    }
    FileDialog {
        id: embeddingPicker
        title: qsTr("Choose an EmbeddingGemma model (.gguf)")
        nameFilters: [qsTr("GGUF models (*.gguf)")]
        onAccepted: dialog.library.useEmbeddingModelFile(selectedFile)
    }
    FileDialog {
        id: filePicker
        title: qsTr("Add documents")
        fileMode: FileDialog.OpenFiles
        nameFilters: [qsTr("Documents (*.pdf *.docx *.odt *.epub *.html *.htm *.md *.txt)"), qsTr("All files (*)")]
        onAccepted: dialog.library.addSources(dialog.library.currentId, selectedFiles)
    }

    RowLayout {
        anchors.fill: parent
        spacing: dialog.theme.spacing

        // Collections.
        ColumnLayout {
            Layout.preferredWidth: 260
            Layout.fillHeight: true
            spacing: dialog.theme.spacing / 2
            RowLayout {
                Layout.fillWidth: true
                TextField {
                    id: newName
                    objectName: "newCollectionName"
                    Layout.fillWidth: true
                    placeholderText: qsTr("New collection name")
                    Accessible.name: qsTr("New collection name")
                    onAccepted: createButton.clicked()
                }
                Button {
                    id: createButton
                    objectName: "createCollection"
                    text: qsTr("Create")
                    enabled: newName.text.trim() !== ""
                    onClicked: { dialog.library.createCollection(newName.text); newName.text = "" }
                    Accessible.name: qsTr("Create collection")
                }
            }
            ListView {
                id: collectionList
                objectName: "collectionList"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                model: dialog.library.collections
                delegate: ItemDelegate {
                    id: row
                    required property string id
                    required property string name
                    required property int indexed
                    required property int chunks
                    required property int skippedCount
                    width: ListView.view.width
                    highlighted: id === dialog.library.currentId
                    onClicked: dialog.library.currentId = id
                    Accessible.name: qsTr("Collection %1").arg(name)
                    contentItem: ColumnLayout {
                        Label { text: row.name; font.bold: true; elide: Text.ElideRight; Layout.fillWidth: true }
                        Muted {
                            Layout.fillWidth: true
                            text: [qsTr("%n file(s)", "", row.indexed), qsTr("%n passage(s)", "", row.chunks)]
                                  .concat(row.skippedCount > 0 ? [qsTr("%n skipped", "", row.skippedCount)] : []).join(" · ")
                        }
                    }
                }
                Muted {
                    anchors.centerIn: parent
                    width: parent.width - 2 * dialog.theme.spacing
                    horizontalAlignment: Text.AlignHCenter
                    visible: collectionList.count === 0
                    text: qsTr("Create a collection, then add folders or drop files on it. Facet indexes them on this machine and answers with citations to file and page.")
                }
            }
            Label { text: qsTr("Search by meaning"); font.bold: true }
            Muted {
                objectName: "embeddingNote"
                Layout.fillWidth: true
                text: dialog.library.embeddingNote
                visible: text !== ""
            }
            RowLayout {
                Layout.fillWidth: true
                Button {
                    text: qsTr("Download…")
                    visible: dialog.library.embeddingModel === ""
                    onClicked: dialog.downloadEmbeddingModel()
                    Accessible.name: qsTr("Download EmbeddingGemma")
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("EmbeddingGemma 300M (about 330 MB) finds passages by meaning as well as by their words")
                }
                Button {
                    text: qsTr("Choose file…")
                    onClicked: embeddingPicker.open()
                    Accessible.name: qsTr("Choose an embedding model file")
                }
                Button {
                    text: qsTr("Keyword only")
                    visible: dialog.library.embeddingModel !== ""
                    onClicked: dialog.library.embeddingModel = ""
                    Accessible.name: qsTr("Stop using the embedding model")
                }
            }
        }

        // The current collection.
        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: dialog.theme.spacing / 2
            visible: dialog.library.currentId !== ""

            RowLayout {
                Layout.fillWidth: true
                TextField {
                    id: nameField
                    objectName: "collectionName"
                    Layout.fillWidth: true
                    font.pixelSize: dialog.theme.titleSize * 0.8
                    text: dialog.library.collectionName(dialog.library.currentId)
                    onEditingFinished: if (text.trim() !== "") dialog.library.renameCollection(dialog.library.currentId, text)
                    Accessible.name: qsTr("Collection name")
                    Connections {
                        target: dialog.library
                        function onCurrentChanged() { nameField.text = dialog.library.collectionName(dialog.library.currentId) }
                    }
                }
                Button {
                    objectName: "useInChat"
                    text: qsTr("Use in this chat")
                    highlighted: true
                    onClicked: { dialog.useCollection(dialog.library.indexPath(dialog.library.currentId)); dialog.close() }
                    Accessible.name: text
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Answers in the current chat cite this collection")
                }
                Button {
                    text: qsTr("Delete")
                    onClicked: confirmDelete.open()
                    Accessible.name: qsTr("Delete collection")
                }
            }

            // Sources, with drag and drop.
            Rectangle {
                Layout.fillWidth: true
                Layout.preferredHeight: Math.max(140, sourceList.contentHeight + 60)
                Layout.maximumHeight: 260
                radius: dialog.theme.radius
                color: drop.containsDrag ? Qt.rgba(0.23, 0.51, 0.96, 0.15) : dialog.theme.surface
                border.color: drop.containsDrag ? dialog.theme.accent : "transparent"
                DropArea {
                    id: drop
                    objectName: "sourceDropArea"
                    anchors.fill: parent
                    keys: ["text/uri-list"]
                    onDropped: (event) => {
                        if (event.hasUrls) dialog.library.addSources(dialog.library.currentId, event.urls)
                        event.acceptProposedAction()
                    }
                }
                ColumnLayout {
                    anchors.fill: parent
                    anchors.margins: dialog.theme.spacing / 2
                    RowLayout {
                        Label { text: qsTr("Folders and files"); font.bold: true; Layout.fillWidth: true }
                        Button { text: qsTr("Add folder…"); onClicked: folderPicker.open(); Accessible.name: qsTr("Add a folder") }
                        Button { text: qsTr("Add files…"); onClicked: filePicker.open(); Accessible.name: qsTr("Add files") }
                        Button {
                            text: qsTr("Rescan")
                            onClicked: dialog.library.rescan(dialog.library.currentId)
                            Accessible.name: qsTr("Rescan the collection now")
                        }
                    }
                    ListView {
                        id: sourceList
                        objectName: "sourceList"
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        clip: true
                        model: dialog.library.sources
                        delegate: RowLayout {
                            id: source
                            required property string path
                            required property string name
                            required property bool folder
                            width: ListView.view.width
                            Label {
                                Layout.fillWidth: true
                                text: (source.folder ? qsTr("Folder (watched): %1") : qsTr("File: %1")).arg(source.path)
                                elide: Text.ElideMiddle
                            }
                            ToolButton {
                                icon.source: dialog.theme.icon("x")
                                display: AbstractButton.IconOnly
                                onClicked: dialog.library.removeSource(dialog.library.currentId, source.path)
                                Accessible.name: qsTr("Remove %1 from the collection").arg(source.name)
                                ToolTip.visible: hovered
                                ToolTip.text: Accessible.name
                            }
                        }
                        Muted {
                            anchors.centerIn: parent
                            visible: sourceList.count === 0
                            text: qsTr("Drop folders or files here")
                        }
                    }
                }
            }

            // Progress.
            RowLayout {
                Layout.fillWidth: true
                visible: dialog.library.indexing && dialog.library.indexingId === dialog.library.currentId
                ProgressBar {
                    objectName: "indexProgress"
                    Layout.preferredWidth: 200
                    from: 0
                    to: Math.max(1, dialog.library.filesTotal)
                    value: dialog.library.filesDone
                    Accessible.name: qsTr("Indexing progress")
                }
                Muted {
                    Layout.fillWidth: true
                    elide: Text.ElideMiddle
                    wrapMode: Text.NoWrap
                    text: (dialog.library.paused ? qsTr("Paused at file %1 of %2") : qsTr("Indexing file %1 of %2")).arg(dialog.library.filesDone).arg(dialog.library.filesTotal)
                          + qsTr(" · %n passage(s)", "", dialog.library.chunksAdded)
                          + (dialog.library.embeddingsPerSecond > 0 ? qsTr(" · %1 embeddings/s").arg(dialog.library.embeddingsPerSecond.toLocaleString(Qt.locale(), "f", 0)) : "")
                          + " · " + dialog.library.currentFile
                }
            }
            RowLayout {
                Layout.fillWidth: true
                Button {
                    objectName: "pauseIndexing"
                    text: dialog.library.paused ? qsTr("Resume indexing") : qsTr("Pause indexing")
                    onClicked: dialog.library.paused = !dialog.library.paused
                    Accessible.name: text
                }
                Muted {
                    Layout.fillWidth: true
                    text: dialog.library.error
                    color: dialog.theme.error
                    visible: text !== ""
                }
            }

            // Skipped files.
            Label {
                text: qsTr("Skipped (%1)").arg(skippedList.count)
                font.bold: true
                visible: skippedList.count > 0
            }
            ListView {
                id: skippedList
                objectName: "skippedList"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                model: dialog.library.skipped
                delegate: ColumnLayout {
                    id: skip
                    required property string path
                    required property string name
                    required property string reason
                    width: ListView.view.width
                    spacing: 0
                    Label { text: skip.name; font.bold: true; elide: Text.ElideRight; Layout.fillWidth: true }
                    Muted { text: skip.reason; Layout.fillWidth: true }
                    Accessible.role: Accessible.ListItem
                    Accessible.name: qsTr("%1 skipped: %2").arg(skip.name).arg(skip.reason)
                }
            }
            Item { Layout.fillHeight: skippedList.count === 0 }
        }
    }

    Dialog {
        id: confirmDelete
        // A set width: sized by its title and buttons, it loops when a language switch changes both.
        width: Math.min(dialog.width, 420)
        anchors.centerIn: parent
        modal: true
        // Flat: a bordered surface on a scrim (the same under every renderer).
        Overlay.modal: Rectangle { color: dialog.theme.scrim }
        background: Rectangle { color: dialog.theme.surface; radius: dialog.theme.radius; border.color: dialog.theme.border }
        title: qsTr("Delete this collection?")
        standardButtons: Dialog.Yes | Dialog.No
        Label { text: qsTr("Its index is deleted. Your files are not touched.") }
        onAccepted: dialog.library.deleteCollection(dialog.library.currentId)
    }
}
