pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Facet

// Settings → Server: the OpenAI-compatible API over the chat's model
// (LocalApiServer). Layout only; every control calls one property or
// invokable. Rows are Row positioners: this page is created hidden, and a
// Qt 6.4 RowLayout keeps zero widths for items laid out while hidden.
ScrollView {
    id: page
    required property LocalApiServer server
    required property Theme theme
    contentWidth: availableWidth

    Column {
        width: page.availableWidth
        spacing: page.theme.spacing / 2

        Label { text: qsTr("Local API server"); font.bold: true; Accessible.role: Accessible.Heading }
        Label {
            width: parent.width
            wrapMode: Text.Wrap
            color: page.theme.mutedText
            text: qsTr("Serves the model loaded in the chat through an OpenAI-compatible API (/v1/chat/completions, "
                       + "/v1/completions, /v1/models). The chat and the API share the model and take turns.")
        }
        Switch {
            objectName: "serverSwitch"
            text: qsTr("Serve the loaded model")
            checked: page.server.enabled
            onToggled: page.server.enabled = checked
            Accessible.name: text
        }
        Label {
            objectName: "serverStatus"
            width: parent.width
            wrapMode: Text.Wrap
            color: page.server.lastError !== "" ? page.theme.error : page.theme.mutedText
            text: page.server.lastError !== "" ? page.server.lastError
                  : page.server.running ? qsTr("Running") : qsTr("Off")
            Accessible.role: Accessible.StaticText
            Accessible.name: text
        }
        Label {
            objectName: "serverModel"
            width: parent.width
            wrapMode: Text.Wrap
            text: page.server.modelId !== "" ? qsTr("Model: %1").arg(page.server.modelId)
                  : qsTr("No model is loaded: requests are answered 503 until one is.")
        }
        Row {
            spacing: page.theme.spacing / 2
            visible: page.server.running
            Label { anchors.verticalCenter: parent.verticalCenter; text: qsTr("Address") }
            Label {
                objectName: "serverAddress"
                anchors.verticalCenter: parent.verticalCenter
                text: page.server.address
                font.family: page.theme.monoFamily
                Accessible.role: Accessible.StaticText
                Accessible.name: qsTr("Server address %1").arg(text)
            }
            Button {
                text: qsTr("Copy")
                onClicked: page.server.copyText(page.server.address)
                Accessible.name: qsTr("Copy the address")
            }
        }
        Label {
            visible: page.server.lanAddress !== ""
            text: qsTr("On your network: %1").arg(page.server.lanAddress)
            font.family: page.theme.monoFamily
        }

        Row {
            spacing: page.theme.spacing / 2
            Label { anchors.verticalCenter: parent.verticalCenter; text: qsTr("Port") }
            SpinBox {
                objectName: "serverPort"
                from: 0; to: 65535
                editable: true
                value: page.server.port
                textFromValue: (value) => value.toString()  // no digit grouping: "11435", not "11,435"
                valueFromText: (text) => parseInt(text)
                onValueModified: page.server.port = value
                Accessible.name: qsTr("Port")
            }
        }
        CheckBox {
            objectName: "serverLan"
            text: qsTr("Allow other computers on the network")
            checked: page.server.lanAccess
            onToggled: page.server.lanAccess = checked
            Accessible.name: text
        }
        Label {
            visible: page.server.lanAccess
            width: parent.width
            wrapMode: Text.Wrap
            color: page.theme.error
            text: qsTr("Anyone on your network who has the key can use the model. Share the key only with people you trust.")
        }
        CheckBox {
            objectName: "serverReasoningField"
            text: qsTr("Send thinking as \"reasoning\" (newer vLLM clients) instead of \"reasoning_content\"")
            checked: page.server.reasoningField
            onToggled: page.server.reasoningField = checked
            Accessible.name: text
        }

        Label { text: qsTr("API key"); font.bold: true; Accessible.role: Accessible.Heading }
        Row {
            spacing: page.theme.spacing / 2
            TextField {
                id: keyField
                objectName: "serverKey"
                width: Math.min(360, page.availableWidth - 260)
                readOnly: true
                text: page.server.apiKey
                echoMode: showKey.checked ? TextInput.Normal : TextInput.Password
                font.family: page.theme.monoFamily
                Accessible.name: qsTr("API key")
            }
            Button {
                id: showKey
                checkable: true
                text: checked ? qsTr("Hide") : qsTr("Show")
                Accessible.name: checked ? qsTr("Hide the key") : qsTr("Show the key")
            }
            Button {
                text: qsTr("Copy")
                enabled: page.server.apiKey !== ""
                onClicked: page.server.copyText(page.server.apiKey)
                Accessible.name: qsTr("Copy the key")
            }
            Button {
                objectName: "serverRegenerate"
                text: qsTr("Regenerate")
                onClicked: page.server.regenerateKey()
                Accessible.name: qsTr("Regenerate the key")
            }
        }
        Label {
            visible: page.server.keyLocation !== ""
            color: page.theme.mutedText
            text: qsTr("Send it as \"Authorization: Bearer KEY\". Kept in %1.").arg(page.server.keyLocation)
        }

        Label { text: qsTr("Allowed origins (browser apps, CORS)"); font.bold: true; Accessible.role: Accessible.Heading }
        Repeater {
            model: page.server.allowedOrigins
            delegate: Row {
                id: originRow
                required property string modelData
                spacing: page.theme.spacing / 2
                Label { anchors.verticalCenter: parent.verticalCenter; text: originRow.modelData; font.family: page.theme.monoFamily }
                Button {
                    text: qsTr("Remove")
                    onClicked: page.server.removeAllowedOrigin(originRow.modelData)
                    Accessible.name: qsTr("Remove %1").arg(originRow.modelData)
                }
            }
        }
        Row {
            spacing: page.theme.spacing / 2
            TextField {
                id: originField
                width: Math.min(360, page.availableWidth - 120)
                placeholderText: qsTr("http://localhost:3000")
                onAccepted: if (page.server.addAllowedOrigin(text)) text = ""
                Accessible.name: qsTr("New allowed origin")
            }
            Button {
                text: qsTr("Add")
                onClicked: if (page.server.addAllowedOrigin(originField.text)) originField.text = ""
                Accessible.name: qsTr("Add the origin")
            }
        }

        Row {
            spacing: page.theme.spacing / 2
            Label { anchors.verticalCenter: parent.verticalCenter; text: qsTr("Recent requests"); font.bold: true; Accessible.role: Accessible.Heading }
            Button {
                text: qsTr("Clear")
                enabled: page.server.requestLog.count > 0
                onClicked: page.server.requestLog.clear()
                Accessible.name: qsTr("Clear the request log")
            }
        }
        Label {
            visible: page.server.requestLog.count === 0
            color: page.theme.mutedText
            text: qsTr("No requests yet.")
        }
        ListView {
            id: log
            objectName: "serverLog"
            width: parent.width
            height: 180
            clip: true
            visible: page.server.requestLog.count > 0
            model: page.server.requestLog
            activeFocusOnTab: true
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Recent requests")
            ScrollBar.vertical: ScrollBar {}
            delegate: Label {
                required property string time
                required property string method
                required property string path
                required property int status
                required property int promptTokens
                required property int completionTokens
                required property double tokensPerSecond
                required property int durationMs
                width: log.width
                font.family: page.theme.monoFamily
                color: status >= 400 ? page.theme.error : page.theme.text
                elide: Text.ElideRight
                text: qsTr("%1  %2 %3  %4  %5 + %6 tokens  %7 tok/s  %8 ms")
                      .arg(time).arg(method).arg(path).arg(status)
                      .arg(promptTokens).arg(completionTokens).arg(tokensPerSecond.toLocaleString(Qt.locale(), "f", 1)).arg(durationMs)
                Accessible.role: Accessible.ListItem
                Accessible.name: text
            }
        }
    }
}
