pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Facet

// The settings pages. General: app-wide appearance and device, then the
// loaded model's defaults; every control writes straight to ChatSettings,
// which saves it. Server: the local OpenAI-compatible API (ServerSettings.qml).
Dialog {
    id: dialog
    required property ChatSettings settings
    required property LocalApiServer server
    required property Theme theme
    property alias currentTab: tabs.currentIndex  // 0 General, 1 Server
    title: qsTr("Settings")
    modal: true
    // Flat: a bordered surface on a scrim (the same under every renderer).
    Overlay.modal: Rectangle { color: dialog.theme.scrim }
    background: Rectangle { color: dialog.theme.surface; radius: dialog.theme.radius; border.color: dialog.theme.border }
    standardButtons: Dialog.Close
    width: Math.min(parent ? parent.width * 0.9 : 640, 640)
    height: Math.min(parent ? parent.height * 0.9 : 720, 720)

    TabBar {
        id: tabs
        anchors.left: parent.left
        anchors.right: parent.right
        TabButton { text: qsTr("General"); Accessible.name: text }
        TabButton { objectName: "serverTab"; text: qsTr("Server"); Accessible.name: text }
    }

    StackLayout {
        anchors.top: tabs.bottom
        anchors.topMargin: dialog.theme.spacing / 2
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        currentIndex: tabs.currentIndex

        ScrollView {
            id: scroll
            contentWidth: availableWidth

            GridLayout {
                width: scroll.availableWidth
                columns: 2
                columnSpacing: dialog.theme.spacing
                rowSpacing: dialog.theme.spacing / 2

                Label { text: qsTr("Appearance"); font.bold: true; Layout.columnSpan: 2; Accessible.role: Accessible.Heading }
                Label { text: qsTr("Theme") }
                ComboBox {
                    Layout.fillWidth: true
                    model: [qsTr("System"), qsTr("Light"), qsTr("Dark")]
                    readonly property var values: ["system", "light", "dark"]
                    currentIndex: model.length ? Math.max(0, values.indexOf(dialog.settings.theme)) : -1
                    onActivated: (i) => dialog.settings.theme = values[i]
                    Accessible.name: qsTr("Theme")
                }
                Label { text: qsTr("Language") }
                ComboBox {
                    objectName: "languageBox"
                    Layout.fillWidth: true
                    // Each language by its own name, so it reads right whatever is shown now.
                    // (currentIndex reads `model`: a language switch replaces the model,
                    // which resets the index, and the binding must then set it again.)
                    model: [qsTr("System default"), "English", "Deutsch", "Français"]
                    readonly property var values: ["", "en", "de", "fr"]
                    currentIndex: model.length ? Math.max(0, values.indexOf(dialog.settings.language)) : -1
                    onActivated: (i) => dialog.settings.language = values[i]
                    Accessible.name: qsTr("Language")
                }
                Label { text: qsTr("Font size") }
                SpinBox {
                    from: 8; to: 32
                    value: dialog.settings.fontSize
                    onValueModified: dialog.settings.fontSize = value
                    Accessible.name: qsTr("Font size")
                }
                Label { text: qsTr("GPU (index or name; empty = best)") }
                TextField {
                    Layout.fillWidth: true
                    text: dialog.settings.device
                    onEditingFinished: dialog.settings.device = text
                    Accessible.name: qsTr("GPU")
                }
                Label { text: qsTr("Models folder") }
                TextField {
                    Layout.fillWidth: true
                    text: dialog.settings.modelsDir
                    onEditingFinished: if (text.trim() !== "") dialog.settings.modelsDir = text.trim()
                    Accessible.name: qsTr("Models folder")
                }
                Label { text: qsTr("Hugging Face token (gated models)") }
                TextField {
                    Layout.fillWidth: true
                    text: dialog.settings.hfToken
                    echoMode: TextInput.Password
                    placeholderText: qsTr("optional: hf_… (kept in the system keyring, not in the settings file)")
                    onEditingFinished: dialog.settings.hfToken = text
                    Accessible.name: qsTr("Hugging Face token")
                }
                Label { text: qsTr("Rerank document passages with the model") }
                ComboBox {
                    Layout.fillWidth: true
                    // Auto: on a GPU; off on the CPU, where each passage costs a prefill of seconds.
                    model: [qsTr("Auto (on with a GPU)"), qsTr("On"), qsTr("Off")]
                    readonly property var values: ["auto", "on", "off"]
                    currentIndex: model.length ? Math.max(0, values.indexOf(dialog.settings.documentsRerank)) : -1
                    onActivated: (i) => dialog.settings.documentsRerank = values[i]
                    Accessible.name: qsTr("Rerank document passages")
                }
                Label { text: qsTr("More detail for pictures (slower)") }
                Switch {
                    objectName: "imageDetailSwitch"
                    // 1120 soft tokens per picture instead of 280: small text in a picture becomes readable.
                    checked: dialog.settings.imageDetail
                    onToggled: dialog.settings.imageDetail = checked
                    Accessible.name: qsTr("More detail for pictures (slower)")
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Pictures take four times as many tokens: finer detail, slower replies")
                }

                Label {
                    Layout.columnSpan: 2
                    Layout.topMargin: dialog.theme.spacing
                    text: dialog.settings.model === "" ? qsTr("Defaults for new models")
                                                       : qsTr("Defaults for %1").arg(dialog.settings.model)
                    font.bold: true
                    Accessible.role: Accessible.Heading
                }
                Label { text: qsTr("System prompt"); Layout.alignment: Qt.AlignTop }
                TextArea {
                    Layout.fillWidth: true
                    Layout.preferredHeight: 80
                    wrapMode: TextEdit.Wrap
                    text: dialog.settings.systemPrompt
                    onEditingFinished: dialog.settings.systemPrompt = text
                    Accessible.name: qsTr("System prompt")
                }
                Label { text: qsTr("Temperature %1").arg(dialog.settings.temperature.toLocaleString(Qt.locale(), "f", 2)) }
                Slider {
                    Layout.fillWidth: true
                    from: 0; to: 2; stepSize: 0.05
                    value: dialog.settings.temperature
                    onMoved: dialog.settings.temperature = value
                    Accessible.name: qsTr("Temperature")
                }
                Label { text: qsTr("Top-k") }
                SpinBox {
                    from: 0; to: 1000
                    value: dialog.settings.topK
                    onValueModified: dialog.settings.topK = value
                    Accessible.name: qsTr("Top-k")
                }
                Label { text: qsTr("Top-p %1").arg(dialog.settings.topP.toLocaleString(Qt.locale(), "f", 2)) }
                Slider {
                    Layout.fillWidth: true
                    from: 0; to: 1; stepSize: 0.01
                    value: dialog.settings.topP
                    onMoved: dialog.settings.topP = value
                    Accessible.name: qsTr("Top-p")
                }
                Label { text: qsTr("Min-p %1").arg(dialog.settings.minP.toLocaleString(Qt.locale(), "f", 2)) }
                Slider {
                    Layout.fillWidth: true
                    from: 0; to: 0.5; stepSize: 0.01
                    value: dialog.settings.minP
                    onMoved: dialog.settings.minP = value
                    Accessible.name: qsTr("Min-p")
                }
                Label { text: qsTr("Repeat penalty %1").arg(dialog.settings.repeatPenalty.toLocaleString(Qt.locale(), "f", 2)) }
                Slider {
                    Layout.fillWidth: true
                    from: 1; to: 2; stepSize: 0.01
                    value: dialog.settings.repeatPenalty
                    onMoved: dialog.settings.repeatPenalty = value
                    Accessible.name: qsTr("Repeat penalty")
                }
                Label { text: qsTr("Max tokens per reply") }
                SpinBox {
                    from: 1; to: 32768; stepSize: 64
                    editable: true
                    value: dialog.settings.maxTokens
                    onValueModified: dialog.settings.maxTokens = value
                    Accessible.name: qsTr("Max tokens per reply")
                }
                Label { text: qsTr("Context length (applies on the next load)") }
                SpinBox {
                    from: 256; to: 262144; stepSize: 1024
                    editable: true
                    value: dialog.settings.contextLength
                    onValueModified: dialog.settings.contextLength = value
                    Accessible.name: qsTr("Context length")
                }
                Label { text: qsTr("Thinking") }
                Switch {
                    checked: dialog.settings.thinking
                    onToggled: dialog.settings.thinking = checked
                    Accessible.name: qsTr("Thinking")
                }
                Item { width: 1 }
                Button {
                    text: qsTr("Reset these to the defaults")
                    onClicked: dialog.settings.resetModelDefaults()
                    Accessible.name: text
                }
            }
        }

        ServerSettings {
            server: dialog.server
            theme: dialog.theme
        }
    }
}
