pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Facet

ApplicationWindow {
    id: window
    width: 1100
    height: 760
    visible: true
    title: chat.modelLoaded ? qsTr("Facet — %1").arg(chat.modelName) : qsTr("Facet")
    color: theme.background

    property alias chatPage: chatPage

    SystemPalette {
        id: systemPalette
    }

    Theme {
        id: theme
        dark: chat.settings.theme === "dark"
              || (chat.settings.theme === "system" && systemPalette.window.hslLightness < 0.5)
        fontSize: chat.settings.fontSize
    }

    // Controls follow the theme too (Fusion draws from the palette).
    palette.window: theme.background
    palette.windowText: theme.text
    palette.base: theme.surface
    palette.text: theme.text
    palette.button: theme.surface
    palette.buttonText: theme.text
    palette.placeholderText: theme.mutedText
    font.pixelSize: theme.bodySize

    SettingsDialog {
        id: settingsDialog
        objectName: "settingsDialog"
        settings: chat.settings
        server: apiServer
        theme: theme
        anchors.centerIn: parent
    }

    // Settings → Server: the OpenAI-compatible API over the chat's model
    // (starts at launch when it was left on).
    LocalApiServer {
        id: apiServer
        objectName: "apiServer"
        chat: chat
    }

    Shortcut {
        sequences: [StandardKey.Preferences]
        onActivated: settingsDialog.open()
    }
    Shortcut {
        sequence: "Ctrl+,"
        onActivated: settingsDialog.open()
    }

    ModelManager {
        id: models
        objectName: "models"
        settings: chat.settings
        // A finished download goes straight into the chat when nothing is loaded.
        onModelReady: (path) => { if (!chat.modelLoaded && !chat.loading) window.openModel(path) }
        onEmbeddingModelReady: (path) => documents.embeddingModel = path
    }

    ModelsDialog {
        id: modelsDialog
        objectName: "modelsDialog"
        manager: models
        theme: theme
        anchors.centerIn: parent
        onUseModel: (path) => window.openModel(path)
    }

    Shortcut {
        sequence: "Ctrl+M"
        onActivated: modelsDialog.open()
    }

    DocumentLibrary {
        id: documents
        objectName: "documents"
    }

    DocumentsDialog {
        id: documentsDialog
        objectName: "documentsDialog"
        library: documents
        theme: theme
        anchors.centerIn: parent
        onUseCollection: (indexPath) => chat.attachDocumentLibrary(indexPath)
        onDownloadEmbeddingModel: {
            if (models.downloadCatalogEntry("embeddinggemma-300m-q8_0")) {
                modelsDialog.currentTab = 2
                modelsDialog.open()
            }
        }
    }

    Shortcut {
        sequence: "Ctrl+D"
        onActivated: documentsDialog.open()
    }

    // "Add remote server…", made on first use: an unused dialog costs nothing.
    Component {
        id: remoteDialogComponent
        RemoteServerDialog {
            objectName: "remoteDialog"
            servers: chat.remotes
            theme: theme
            anchors.centerIn: parent
        }
    }
    QtObject {
        id: remoteDialog
        property var dialog: null
        function make() {
            if (!dialog) dialog = remoteDialogComponent.createObject(window.contentItem)
        }
        function open() {
            make()
            dialog.startAdd()
            dialog.open()
        }
        function edit(serverId, name, baseUrl, allowInsecure) {
            make()
            dialog.startEdit(serverId, name, baseUrl, allowInsecure)
            dialog.open()
        }
    }

    // "Remote servers…": the saved ones, with Edit… and Remove; made on first use too.
    Component {
        id: serversDialogComponent
        RemoteServersDialog {
            objectName: "remoteServersDialog"
            servers: chat.remotes
            theme: theme
            anchors.centerIn: parent
            onEditServer: (serverId, name, baseUrl, allowInsecure) => remoteDialog.edit(serverId, name, baseUrl, allowInsecure)
            onAddServer: remoteDialog.open()
        }
    }
    QtObject {
        id: serversDialog
        property var dialog: null
        function open() {
            if (!dialog) dialog = serversDialogComponent.createObject(window.contentItem)
            dialog.open()
        }
    }

    Shortcut {
        sequence: "Ctrl+Shift+R"
        onActivated: remoteDialog.open()
    }

    // Facts about the opened file (size, layers, what it needs).
    ModelInfoController {
        id: info
    }

    ChatController {
        id: chat
        objectName: "chat"
        libraryTitles: documents.titles
        Component.onCompleted: {
            search("")
            if (initialModelPath !== "") window.openModel(initialModelPath)
        }
    }

    function openModel(path) {
        if (models.kindOf(path) === "embedding") {  // EmbeddingGemma: for Documents, not the chat
            documents.embeddingModel = path
            documentsDialog.open()
            return
        }
        info.openModel(path)
        chat.loadModel(path)
    }

    FileDialog {
        id: openDialog
        title: qsTr("Open a Gemma 4 model (.gguf)")
        nameFilters: [qsTr("GGUF models (*.gguf)"), qsTr("All files (*)")]
        onAccepted: window.openModel(chat.urlToPath(selectedFile))
    }

    FolderDialog {
        id: folderDialog
        title: qsTr("Open a Hugging Face model folder")
        onAccepted: window.openModel(chat.urlToPath(selectedFolder))
    }

    Shortcut {
        sequences: [StandardKey.Open]
        onActivated: openDialog.open()
    }

    Drawer {
        id: infoDrawer
        edge: Qt.RightEdge
        width: Math.min(window.width * 0.6, 560)
        height: window.height
        ModelPanel {
            anchors.fill: parent
            controller: info
            theme: theme
        }
    }

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: theme.spacing
            anchors.rightMargin: theme.spacing
            spacing: theme.spacing
            Label {
                text: qsTr("Facet")
                font.pixelSize: theme.titleSize
                font.bold: true
            }
            // The model picker: the loaded model first, then the ones loaded before,
            // then the models of remote servers, then "Add remote server…", then
            // "Remote servers…" (edit, remove) once there are any.
            ComboBox {
                id: modelPicker
                objectName: "modelPicker"
                Layout.preferredWidth: 280
                model: chat.settings.recentModels.concat(chat.remotes.modelLabels).concat([qsTr("Add remote server…")])
                       .concat(chat.remotes.servers.count > 0 ? [qsTr("Remote servers…")] : [])
                displayText: chat.loading ? (chat.loadTuning ? qsTr("Tuning for this GPU (first load)…") : qsTr("Loading…"))
                             : chat.modelLoaded ? qsTr("%1 · %2").arg(chat.modelName).arg(chat.deviceName)
                             : qsTr("No model")
                enabled: !chat.generating && !chat.loading && count > 0
                readonly property int remoteEnd: chat.settings.recentModels.length + chat.remotes.modelKeys.length
                onActivated: (i) => i < chat.settings.recentModels.length ? window.openModel(chat.settings.recentModels[i])
                                    : i < remoteEnd ? chat.loadModel(chat.remotes.modelKeys[i - chat.settings.recentModels.length])
                                    : i === remoteEnd ? remoteDialog.open()
                                    : serversDialog.open()
                Accessible.name: qsTr("Model")
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Switch to a model you used before, or a remote server's (Ctrl+Shift+R adds a server; Remote servers… edits them)")
            }
            Item { Layout.fillWidth: true }
            ProgressBar {
                visible: chat.loading
                value: chat.loadProgress
                indeterminate: chat.loadTuning
                Layout.preferredWidth: 160
                Accessible.name: qsTr("Loading model")
            }
            Button {
                text: qsTr("Models…")
                onClicked: modelsDialog.open()
                Accessible.name: qsTr("Model manager")
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Download, import and manage models (Ctrl+M)")
            }
            Button {
                objectName: "documentsButton"
                text: qsTr("Documents…")
                onClicked: documentsDialog.open()
                Accessible.name: qsTr("Document library")
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Collections of your documents to chat with (Ctrl+D)")
            }
            Button {
                text: qsTr("Open model file…")
                onClicked: openDialog.open()
                Accessible.name: text
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Open a .gguf file (Ctrl+O)")
            }
            Button {
                text: qsTr("Open model folder…")
                onClicked: folderDialog.open()
                Accessible.name: text
            }
            Button {
                text: qsTr("Settings")
                onClicked: settingsDialog.open()
                Accessible.name: text
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Settings (Ctrl+,)")
            }
            Button {
                text: qsTr("Model info")
                enabled: info.modelPath !== ""
                onClicked: infoDrawer.open()
                Accessible.name: text
            }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: theme.spacing
        spacing: theme.spacing

        Rectangle {
            Layout.fillWidth: true
            visible: chat.banner !== "" || info.error !== ""
            color: theme.errorBackground
            radius: theme.radius
            implicitHeight: bannerRow.implicitHeight + 2 * theme.spacing
            RowLayout {
                id: bannerRow
                anchors.fill: parent
                anchors.margins: theme.spacing
                Label {
                    Layout.fillWidth: true
                    text: chat.banner !== "" ? chat.banner : info.error
                    color: theme.error
                    wrapMode: Text.Wrap
                    Accessible.role: Accessible.AlertMessage
                    Accessible.name: text
                }
                Button {
                    visible: chat.lostModel !== "" && !chat.loading
                    text: qsTr("Reload model")
                    onClicked: chat.loadModel(chat.lostModel)
                    Accessible.name: text
                }
                ToolButton {
                    text: "\u2715"
                    onClicked: chat.dismissBanner()
                    Accessible.name: qsTr("Dismiss")
                }
            }
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: !chat.modelLoaded && !chat.loading && chat.conversations.count === 0
            spacing: theme.spacing
            Item { Layout.fillHeight: true; Layout.fillWidth: true }  // lets the column take the whole width
            Label {
                Layout.alignment: Qt.AlignHCenter
                text: qsTr("Welcome to Facet")
                font.pixelSize: theme.titleSize
                color: theme.text
            }
            Label {
                Layout.alignment: Qt.AlignHCenter
                Layout.preferredWidth: Math.min(560, window.width - 4 * theme.spacing)
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                color: theme.mutedText
                text: qsTr("Facet runs Google's Gemma 4 models on your own computer, on any GPU. Download one from the catalog (Facet tells you which fit this machine), or open a Gemma 4 .gguf file or Hugging Face model folder you already have. Your conversations stay on this machine.")
            }
            RowLayout {
                Layout.alignment: Qt.AlignHCenter
                spacing: theme.spacing
                Button {
                    objectName: "welcomeDownload"
                    text: qsTr("Download a model…")
                    highlighted: true
                    onClicked: { modelsDialog.currentTab = 0; modelsDialog.open() }
                    Accessible.name: text
                }
                Button {
                    text: qsTr("Open a model file…")
                    onClicked: openDialog.open()
                    Accessible.name: text
                }
                Button {
                    text: qsTr("Open a model folder…")
                    onClicked: folderDialog.open()
                    Accessible.name: text
                }
                Button {
                    objectName: "welcomeRemote"
                    text: qsTr("Use a remote server…")
                    onClicked: remoteDialog.open()
                    Accessible.name: text
                }
            }
            Item { Layout.fillHeight: true }
        }

        ChatPage {
            id: chatPage
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: chat.modelLoaded || chat.loading || chat.conversations.count > 0
            chat: chat
            theme: theme
        }
    }
}
